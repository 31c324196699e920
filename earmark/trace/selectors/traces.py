"""Tracing one tag: the whole chain of the animal that carries it, in time order — from the
delivery and registration of its range to its slaughter or death and the tag's destruction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region
from earmark.accounts.models import User
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound
from earmark.core.species import species_digits
from earmark.eartags import spans
from earmark.eartags.codes import (
    CodeError,
    LegacyCode,
    format_range,
    format_tag,
    is_legacy,
    parse_legacy,
    parse_tag,
)
from earmark.eartags.errors import NOT_A_TAG_NUMBER, TAG_UNREGISTERED
from earmark.eartags.models import RegisteredRange, Tag, TagEvent
from earmark.farms.selectors import premises_get
from earmark.immunization.models import AnimalTag, ImmunizedAnimal
from earmark.immunization.selectors.records import legacy_records
from earmark.movements.models import CheckpointCheck, Receipt
from earmark.quarantine.models import CertificateRange, DeclaredRange, Redirect
from earmark.slaughter.selectors import after_slaughter
from earmark.trace.selectors.premises import PremisesTrace, premises_trace


@dataclass
class Step:
    at: datetime
    kind: str
    title: str
    place: str = ""
    document: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class TagTrace:
    query: str
    tags: list[str]
    species: str
    state: str
    steps: list[Step]


# The order of the life of a tag and its animal, to place facts recorded at the same moment.
LIFECYCLE = (
    "delivery",
    "registered",
    "issued",
    "returned",
    "voided",
    "applied",
    "application",
    "replaced",
    "immunization",
    "legacy_immunization",
    "declared",
    "rejected",
    "certified",
    "redirect",
    "checkpoint",
    "arrived",
    "arrival",
    "slaughter",
    "recovered",
    "lost",
    "cancelled",
    "destroyed",
)
_RANK = {kind: rank for rank, kind in enumerate(LIFECYCLE)}


def _start_of(day: Any) -> datetime:
    """A date-only fact (a delivery note's date) placed at the start of its day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_time_order(steps: list[Step]) -> list[Step]:
    """By real time, ties broken by the order of the lifecycle; every time in one zone, so
    that the API answers one format (ISO 8601 with the +08:00 offset)."""
    for step in steps:
        step.at = timezone.localtime(step.at)
    return sorted(steps, key=lambda s: (s.at, _RANK.get(s.kind, len(_RANK))))


def tag_trace(*, user: User, text: str) -> TagTrace:
    """The chain of the animal carrying tag ``text`` (15 digits, a replaced tag of the same
    animal, or a legacy 8-digit code, with or without its add-on code)."""
    text = text.strip()
    if is_legacy(text):
        return _legacy_trace(user=user, code=parse_legacy(text))
    try:
        number = parse_tag(text, species=species_digits())
    except CodeError as error:
        raise BusinessError(
            _("%(text)s is not a 15-digit tag number.") % {"text": text}, code=NOT_A_TAG_NUMBER
        ) from error
    # Every tag of the animal that carries this one (a replaced tag traces to the same
    # animal), in one read.
    applications = list(
        AnimalTag.objects.filter(animal__tags__tag_id=number).select_related(
            "applied_by", "animal__premises"
        )
    )
    animal = applications[0].animal if applications else None
    numbers = sorted(a.tag_id for a in applications) or [number]
    points = [(n, n) for n in numbers]
    registered = spans.overlapping(
        RegisteredRange.objects.select_related("registration__delivery", "registration__county"),
        points,
    )
    # A tag registered in another province traces here from its arrival (#17).
    if not registered and animal is None:
        raise NotFound(
            _("%(number)s was never registered: possibly a forged tag.")
            % {"number": format_tag(number)},
            code=TAG_UNREGISTERED,
        )
    # Unordered (an ORDER BY makes SQLite walk the key instead of searching): sorted here.
    rows = (
        TagEvent.objects.filter(spans.Overlaps(TagEvent, points))
        .order_by()
        .values_list(
            "id",
            "first",
            "last",
            "kind",
            "township_code",
            "holder",
            "document_id",
            "created_at",
            "actor__full_name",
            "actor__username",
            named=True,
        )
    )
    events: list[Any] = sorted(rows, key=lambda event: event.id)
    tags = {t.number: t for t in Tag.objects.filter(number__in=numbers)}
    _require_visible(user, registered, events, tags.values(), animal)
    steps: list[Step] = []
    for item in registered:
        registration = item.registration
        if registration.delivery is not None:
            delivery = registration.delivery
            steps.append(
                Step(
                    _start_of(delivery.delivered_on),
                    "delivery",
                    _("Delivered by %(manufacturer)s") % {"manufacturer": delivery.manufacturer},
                    registration.county.name,
                    delivery.note_number,
                )
            )
    for event in events:
        steps.append(_event_step(event, registered))
    for tag_application in applications:
        steps.append(
            Step(
                tag_application.applied_at,
                "application",
                _("Applied in the %(ear)s: %(tag)s")
                % {
                    "ear": tag_application.get_ear_display(),
                    "tag": format_tag(tag_application.tag_id),
                },
                details={
                    "reason": str(tag_application.get_reason_display()),
                    "by": str(tag_application.applied_by),
                    "replaces": format_tag(tag_application.replaces_id)
                    if tag_application.replaces_id
                    else None,
                },
            )
        )
    if animal is not None:
        # Plain values: a trace reads a few fields of each related row, not whole rows.
        for (
            at,
            vaccine,
            place,
            record,
            batch,
            full_name,
            username,
            vaccinator,
        ) in ImmunizedAnimal.objects.filter(animal=animal).values_list(
            "record__vaccinated_at",
            "record__vaccine__name",
            "record__premises__name",
            "record__number",
            "record__batch_number",
            "record__vaccinator__full_name",
            "record__vaccinator__username",
            "record__vaccinator_number",
        ):
            steps.append(
                Step(
                    at,
                    "immunization",
                    _("Vaccinated with %(vaccine)s") % {"vaccine": vaccine},
                    place,
                    record,
                    {"batch": batch, "vaccinator": f"{full_name or username}（{vaccinator}）"},
                )
            )
    # The certificates the animal travelled under: their ids and numbers.
    certificates: dict[int, str] = dict(
        CertificateRange.objects.filter(spans.Overlaps(CertificateRange, points)).values_list(
            "certificate_id", "certificate__number"
        )
    )
    for check in CheckpointCheck.objects.filter(certificate__in=certificates):
        steps.append(
            Step(
                check.checked_at,
                "checkpoint",
                _("Checked at a checkpoint: %(result)s") % {"result": check.get_result_display()},
                check.place,
                check.number,
            )
        )
    for at, certificate, to_name, to_code, from_name, reason in Redirect.objects.filter(
        certificate__in=certificates
    ).values_list(
        "recorded_at",
        "certificate_id",
        "to_premises__name",
        "to_premises__code",
        "from_premises__name",
        "reason",
    ):
        steps.append(
            Step(
                at,
                "redirect",
                _("Destination changed to %(name)s") % {"name": to_name},
                to_name,
                certificates[certificate],
                {"from": from_name or "", "to": to_code, "reason": reason},
            )
        )
    for at, kind, place, certificate, passed, findings, late in Receipt.objects.filter(
        certificate__in=certificates
    ).values_list(
        "arrived_at", "kind", "premises__name", "certificate_id", "passed", "findings", "late"
    ):
        steps.append(
            Step(
                at,
                kind,
                str(Receipt.Kind(kind).label),
                place,
                certificates[certificate],
                {"passed": passed, "findings": findings, "late": late},
            )
        )
    # Past the slaughter inspection: the batch and its product certificates (#33).
    steps += [
        Step(*row)
        for row in after_slaughter(certificates=[*certificates.values()], numbers=numbers)
    ]
    declared = DeclaredRange.objects.select_related("declaration__premises").filter(
        declaration__status="rejected"
    )
    for row in spans.overlapping(declared, points):
        steps.append(
            Step(
                row.declaration.decided_at or row.declaration.created_at,
                "rejected",
                _("Declaration rejected: %(reason)s") % {"reason": row.declaration.reject_reason},
                row.declaration.premises.name,
                row.declaration.number,
            )
        )
    tag = tags.get(number)
    return TagTrace(
        query=format_tag(number),
        tags=[format_tag(n) for n in numbers],
        species=registered[0].species if registered else (animal.species if animal else ""),
        state=tag.state if tag else "unused",
        steps=_in_time_order(steps),
    )


def _event_step(event: Any, registered: list[RegisteredRange]) -> Step:
    """A step of a tag event, read as plain values."""
    details: dict[str, Any] = {"range": format_range(event.first, event.last)}
    if event.kind == TagEvent.Kind.REGISTERED:
        item = next((r for r in registered if r.first <= event.first <= r.last), None)
        if item is not None:
            details.update({"box": item.box, "pack": item.pack, "registered_range": str(item)})
    if event.actor__username is not None:
        details["by"] = event.actor__full_name or event.actor__username
    return Step(
        event.created_at,
        event.kind,
        str(TagEvent.Kind(event.kind).label),
        event.holder,
        event.document_id,
        details,
    )


def _require_visible(
    user: User,
    registered: list[RegisteredRange],
    events: list[Any],
    tags: Iterable[Tag],
    animal: Any,
) -> None:
    """A user may trace a tag that was registered, issued, applied or received within its
    jurisdiction — and then sees that animal's whole chain, wherever it went."""
    regions = {r.county_code for r in registered}
    regions |= {t.township_code for t in tags}
    if animal is not None:
        regions.add(animal.premises.township_id)
    regions |= {e.township_code for e in events}
    if not any(code and can_read_region(user, code) for code in regions):
        raise NotFound()


def _legacy_trace(*, user: User, code: LegacyCode) -> TagTrace:
    rows = legacy_records(user=user, code=code)
    if not rows:
        raise NotFound(_("No records of the old tag %(tag)s.") % {"tag": code.full})
    steps = [
        Step(
            _start_of(r.vaccinated_on),
            "legacy_immunization",
            _("Vaccinated with %(vaccine)s") % {"vaccine": r.vaccine_name},
            r.premises.name if r.premises else r.postal_code,
            r.batch_number,
            {
                "vaccinator_number": r.vaccinator_number,
                "postal_code": r.postal_code,
                "addon": r.addon,
            },
        )
        for r in rows
    ]
    return TagTrace(
        query=code.full,
        tags=sorted({f"{r.code}-{r.addon}" if r.addon else r.code for r in rows}),
        species=rows[0].species,
        state="legacy",
        steps=_in_time_order(steps),
    )


def run_premises_trace(
    user: User, code: str, direction: str, since: date | None, until: date | None, hops: int
) -> PremisesTrace:
    """Check the request, then trace from a premises of the user's jurisdiction."""

    premises = premises_get(user=user, code=code)
    if direction not in ("forward", "backward", "both"):
        raise BusinessError(_("Direction is forward, backward or both."), code=INVALID_INPUT)
    if not 1 <= hops <= 6:
        raise BusinessError(_("Trace 1 to 6 hops."), code=INVALID_INPUT)
    until = until or timezone.localdate()
    since = since or until - timedelta(days=365)
    if since > until:
        raise BusinessError(_("The start of the window lies after its end."), code=INVALID_INPUT)
    return premises_trace(
        premises=premises,
        direction=direction,
        since=timezone.make_aware(datetime.combine(since, time.min)),
        until=timezone.make_aware(datetime.combine(until, time.max)),
        hops=hops,
    )
