"""Tag events as a GS1 EPCIS 2.0 JSON-LD document.

Ear tags and premises are not GS1-keyed, so they are named by URNs of their own (EPCIS 2.0
accepts any URI): ``urn:cn:moa:eartag:<15 digits>`` and ``urn:cn:moa:premises:<12 digits>``.
Application is commissioning (ObjectEvent ADD), the certificate's issue shipping and the
arrival receiving (OBSERVE, with the certificate as business transaction), recovery at
slaughter and cancellation decommissioning (DELETE)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.eartags.models import TagEvent
from earmark.eartags.selectors.inventory import tag_events_between
from earmark.movements.selectors import certificate_destinations
from earmark.quarantine.selectors import certificate_origins

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
TAG_URN = "urn:cn:moa:eartag:"
PREMISES_URN = "urn:cn:moa:premises:"
CERTIFICATE_TYPE = "urn:cn:moa:btt:quarantine-certificate"
MAX_EVENTS = 10_000
MAX_TAGS_PER_EVENT = 5_000

# Tag event kind → (action, bizStep, disposition).
MAPPING = {
    TagEvent.Kind.APPLIED: ("ADD", "commissioning", "active"),
    TagEvent.Kind.CERTIFIED: ("OBSERVE", "shipping", "in_transit"),
    TagEvent.Kind.ARRIVED: ("OBSERVE", "receiving", "in_progress"),
    TagEvent.Kind.RECOVERED: ("DELETE", "decommissioning", "inactive"),
    TagEvent.Kind.CANCELLED: ("DELETE", "decommissioning", "inactive"),
}


def _offset(moment: datetime) -> str:
    text = timezone.localtime(moment).strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def epcis_document(*, user: User, since: date, until: date) -> dict[str, Any]:
    """Tag events of the user's jurisdiction between two days, oldest first."""

    if since > until:
        raise BusinessError(_("The start of the period lies after its end."), code="invalid")
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until, time.max))
    events = tag_events_between(
        user=user, start=start, end=end, kinds=list(MAPPING), limit=MAX_EVENTS + 1
    )
    if len(events) > MAX_EVENTS:
        raise BusinessError(
            _("More than %(count)d events: ask for a shorter period.") % {"count": MAX_EVENTS},
            code="too_many",
        )
    numbers = {e.document_id for e in events if e.document_type == "certificate"}
    origins = certificate_origins(numbers=numbers)
    destinations = certificate_destinations(numbers=numbers)
    body = []
    for event in events:
        action, step, disposition = MAPPING[TagEvent.Kind(event.kind)]
        place = ""
        if event.document_type in ("premises", "death"):
            place = event.document_id
        elif event.kind == TagEvent.Kind.CERTIFIED:
            place = origins.get(event.document_id, "")
        elif event.document_type == "certificate":
            place = destinations.get(event.document_id, "")
        last = min(event.last, event.first + MAX_TAGS_PER_EVENT - 1)
        item: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventID": f"urn:cn:moa:event:{event.pk}",
            "eventTime": event.created_at.isoformat(),
            "eventTimeZoneOffset": _offset(event.created_at),
            "epcList": [f"{TAG_URN}{n:015d}" for n in range(event.first, last + 1)],
            "action": action,
            "bizStep": step,
            "disposition": disposition,
        }
        if place:
            item["readPoint"] = {"id": f"{PREMISES_URN}{place}"}
            item["bizLocation"] = {"id": f"{PREMISES_URN}{place}"}
        if event.document_type == "certificate":
            item["bizTransactionList"] = [
                {
                    "type": CERTIFICATE_TYPE,
                    "bizTransaction": f"urn:cn:moa:certificate:{event.document_id}",
                }
            ]
            if event.kind == TagEvent.Kind.CERTIFIED and event.document_id in destinations:
                item["destinationList"] = [
                    {
                        "type": "location",
                        "destination": f"{PREMISES_URN}{destinations[event.document_id]}",
                    }
                ]
        body.append(item)
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": body},
    }
