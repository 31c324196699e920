"""Tag events as a GS1 EPCIS 2.0 JSON-LD document.

Ear tags, premises and agencies are not GS1-keyed, so they are named by https URIs under the
province's own identifier base (``EARMARK_IDENTIFIER_BASE``, served by ``/id/…`` here, see
docs/operations.md): ``…/eartag/<15 digits>``, ``…/premises/<12 digits>``,
``…/agency/<region code>``, ``…/vaccinator/<county>-<nn>``, ``…/region/<code>``,
``…/certificate/<number>``, ``…/issue/<number>``, ``…/event/<id>[/<part>]`` and the terms
``…/voc/<term>``.

The steps, in the Core Business Vocabulary:
- issue, return and void of unused tags (county → township → farm or vaccinator and back):
  OBSERVE ``shipping`` from the party that handed them over to the one that took them, with
  the issue document;
- application: ADD ``commissioning`` at the premises;
- the certificate's issue: OBSERVE ``shipping`` from the origin premises to its destination
  (the premises, else the region of the address);
- its revocation before departure: OBSERVE ``void_shipping``;
- arrival: OBSERVE ``receiving`` where the animals were received;
- recovery at slaughter, cancellation at death, a lost tag: DELETE ``decommissioning``;
- the county's destruction of recovered tags: DELETE ``destroying``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.eartags.models import TagEvent
from earmark.eartags.selectors.events import tag_events_between, tag_events_of_document
from earmark.eartags.selectors.inventory import Party, issue_parties
from earmark.exchange.errors import EXPORT_TOO_LARGE
from earmark.movements.selectors import certificate_destinations
from earmark.quarantine.selectors import certificate_places

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
MAX_EVENTS = 10_000
# One event names at most this many tags; a longer range is told in several parts.
MAX_TAGS_PER_EVENT = 5_000
# A document names at most this many tags in all: beyond, a shorter period is asked for.
MAX_TAGS = 200_000


@dataclass(frozen=True)
class Step:
    action: str
    biz_step: str
    disposition: str


HANDOVER = Step("OBSERVE", "shipping", "in_progress")
STEPS = {
    TagEvent.Kind.ISSUED: HANDOVER,
    TagEvent.Kind.RETURNED: Step("OBSERVE", "shipping", "returned"),
    TagEvent.Kind.VOIDED: Step("OBSERVE", "shipping", "damaged"),
    TagEvent.Kind.APPLIED: Step("ADD", "commissioning", "active"),
    TagEvent.Kind.CERTIFIED: Step("OBSERVE", "shipping", "in_transit"),
    TagEvent.Kind.ARRIVED: Step("OBSERVE", "receiving", "in_progress"),
    TagEvent.Kind.RECOVERED: Step("DELETE", "decommissioning", "inactive"),
    TagEvent.Kind.CANCELLED: Step("DELETE", "decommissioning", "inactive"),
    TagEvent.Kind.LOST: Step("DELETE", "decommissioning", "inactive"),
    TagEvent.Kind.DESTROYED: Step("DELETE", "destroying", "destroyed"),
}
# The certificate's revocation puts its tags back as applied: not a new commissioning.
VOID_SHIPPING = Step("OBSERVE", "void_shipping", "active")


def identifier(kind: str, key: object) -> str:
    """The public https identifier of a thing: ``…/eartag/122010200000001``."""
    return f"{settings.EARMARK_IDENTIFIER_BASE}/{kind}/{key}"


def _offset(moment: datetime) -> str:
    text = timezone.localtime(moment).strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def _party(party: Party) -> str:
    return identifier(*party)


def _step(event: TagEvent) -> Step:
    if event.kind == TagEvent.Kind.APPLIED and event.document_type == "certificate":
        return VOID_SHIPPING
    return STEPS[TagEvent.Kind(event.kind)]


class _Places:
    """What the events of one document need to know of their documents, read in three
    queries: certificates' places, receipts' premises and issues' parties."""

    def __init__(self, events: list[TagEvent]) -> None:
        numbers = {e.document_id for e in events if e.document_type == "certificate"}
        self.certificates = certificate_places(numbers=numbers)
        self.received = certificate_destinations(numbers=numbers)
        self.issues = issue_parties(
            numbers={e.document_id for e in events if e.document_type == "issue"}
        )

    def describe(self, event: TagEvent, step: Step, body: dict[str, Any]) -> None:
        """Where the event happened, between whom, under which document."""
        kind, document = event.document_type, event.document_id
        location = ""
        if kind in ("premises", "death"):
            location = identifier("premises", document)
        elif kind == "destruction":
            location = identifier("agency", event.county_code)
        elif kind == "certificate" and document in self.certificates:
            places = self.certificates[document]
            # Shipping happens where the animals leave; receiving and the recovery of the tags
            # at slaughter where they arrived (the slaughterhouse).
            if step.biz_step in ("shipping", "void_shipping"):
                location = identifier("premises", places.origin)
            elif document in self.received:
                location = identifier("premises", self.received[document])
            if step.biz_step in ("shipping", "void_shipping"):
                body["sourceList"] = [
                    {"type": "location", "source": identifier("premises", places.origin)}
                ]
                body["destinationList"] = [
                    {
                        "type": "location",
                        "destination": identifier("premises", places.destination_premises)
                        if places.destination_premises
                        else identifier("region", places.destination_region),
                    }
                ]
        elif kind == "issue" and document in self.issues:
            giver, taker = self.issues[document]
            body["sourceList"] = [{"type": "possessing_party", "source": _party(giver)}]
            body["destinationList"] = [{"type": "possessing_party", "destination": _party(taker)}]
            location = _party(taker) if taker[0] == "premises" else ""
        if location:
            body["readPoint"] = {"id": location}
            body["bizLocation"] = {"id": location}
        if kind in ("certificate", "issue", "destruction"):
            body["bizTransactionList"] = [
                {
                    "type": identifier("voc", f"{kind}-document"),
                    "bizTransaction": identifier(kind, document),
                }
            ]


# Documents whose events of one kind are one business step: a shipment, a handover, a batch
# destroyed. Their scattered ranges make one ObjectEvent, whatever the numbers' pattern.
ONE_STEP = ("certificate", "issue", "destruction")


def _steps(events: list[TagEvent]) -> list[list[TagEvent]]:
    """The events as business steps, in the order they began: the ranges of one document and
    kind together; any other event alone."""
    steps: dict[object, list[TagEvent]] = {}
    for event in events:
        key: object = (
            (event.kind, event.document_type, event.document_id)
            if event.document_type in ONE_STEP
            else event.pk
        )
        steps.setdefault(key, []).append(event)
    return list(steps.values())


def _document(events: list[TagEvent]) -> dict[str, Any]:
    if len(events) > MAX_EVENTS:
        raise BusinessError(
            _("More than %(count)d events: ask for a shorter period.") % {"count": MAX_EVENTS},
            code=EXPORT_TOO_LARGE,
        )
    if sum(e.last - e.first + 1 for e in events) > MAX_TAGS:
        raise BusinessError(
            _("More than %(count)d tags: ask for a shorter period.") % {"count": MAX_TAGS},
            code=EXPORT_TOO_LARGE,
        )
    places = _Places(events)
    body = []
    for group in _steps(events):
        first = group[0]
        step = _step(first)
        common: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventTime": timezone.localtime(first.created_at).isoformat(),
            "eventTimeZoneOffset": _offset(first.created_at),
            "action": step.action,
            "bizStep": step.biz_step,
            "disposition": step.disposition,
        }
        places.describe(first, step, common)
        numbers = [n for e in group for n in range(e.first, e.last + 1)]
        parts = range(0, len(numbers), MAX_TAGS_PER_EVENT)
        for part, start in enumerate(parts, start=1):
            eventid = f"{first.pk}/{part}" if len(parts) > 1 else first.pk
            body.append(
                {
                    **common,
                    "eventID": identifier("event", eventid),
                    "epcList": [
                        identifier("eartag", f"{n:015d}")
                        for n in numbers[start : start + MAX_TAGS_PER_EVENT]
                    ],
                }
            )
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.localtime().isoformat(),
        "epcisBody": {"eventList": body},
    }


def epcis_document(*, user: User, start: datetime, end: datetime) -> dict[str, Any]:
    """Tag events of the user's jurisdiction between two moments, oldest first: one
    ObjectEvent per business step (a shipment, a handover, a destruction)."""
    if start > end:
        raise BusinessError(_("The start of the period lies after its end."), code=INVALID_INPUT)
    events = tag_events_between(
        user=user, start=start, end=end, kinds=list(STEPS), limit=MAX_EVENTS + 1
    )
    return _document(events)


def certificate_epcis(*, number: str) -> dict[str, Any]:
    """The events of one certificate, wherever they happened: its shipment, a revocation, the
    arrival, the tags recovered at slaughter. The caller has checked the reader may see it."""
    return _document(
        tag_events_of_document(
            document_type="certificate", document_id=number, kinds=list(STEPS), limit=MAX_EVENTS + 1
        )
    )
