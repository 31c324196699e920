"""The end of a movement and of an animal's life: checkpoints, arrivals, slaughter with tag
recovery and cancellation, deaths, alerts to the origin county, destruction of tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, Conflict
from earmark.core.sequences import sequence_take
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Holding, Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.usage import tag_events_save, tags_transition
from earmark.exchange.outbox import outbox_emit
from earmark.farms.models import Premises, StockChange
from earmark.farms.stock import stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.models import Alert, CheckpointCheck, Death, DestructionBatch, Receipt
from earmark.quarantine import signing
from earmark.quarantine.certificates import certificate_state
from earmark.quarantine.models import Certificate


def _ranges(numbers: RangeSet) -> list[list[int]]:
    return [[a, b] for a, b in numbers]


def _tag_text(numbers: RangeSet) -> list[list[str]]:
    return [[f"{a:015d}", f"{b:015d}"] for a, b in numbers]


def certificate_numbers(certificate: Certificate) -> RangeSet:
    return RangeSet.of(certificate.ranges.values_list("first", "last"))


# --- Checkpoints ----------------------------------------------------------------------------


@dataclass
class CheckOutcome:
    check: CheckpointCheck
    certificate: Certificate | None


@transaction.atomic
def checkpoint_check(
    *,
    actor: User,
    place: str,
    payload: str = "",
    number: str = "",
    checked_at: datetime | None = None,
    offline: bool = False,
) -> CheckOutcome:
    """Check a certificate from its QR payload (signature and status) or its number; recorded
    with place and time. ``offline`` uploads a check made earlier without a network."""
    require_role(actor, Role.CHECKPOINT_OFFICER)
    if not place.strip():
        raise BusinessError(
            _("Say where the check took place."), code="invalid", detail={"place": "required"}
        )
    signature_valid = None
    if payload.strip():
        verified = signing.verify(payload, signing.public_pem())
        signature_valid = verified.ok
        number = str(verified.fields.get("n", number)) if verified.fields else number
    number = number.strip()
    if not number:
        raise BusinessError(_("Scan the QR code or type the certificate number."), code="invalid")
    certificate = (
        Certificate.objects.select_related("premises", "destination_region")
        .filter(number=number)
        .first()
    )
    if signature_valid is False or (
        certificate and payload.strip() and certificate.payload != payload.strip()
    ):
        result: str = CheckpointCheck.Result.FORGED
    elif certificate is None:
        result = CheckpointCheck.Result.UNKNOWN
    else:
        result = certificate_state(certificate)
    check = CheckpointCheck.objects.create(
        certificate=certificate,
        number=number[:12],
        result=result,
        signature_valid=signature_valid,
        offline=offline,
        place=place.strip()[:100],
        county_code=county_of(actor.region_code or "") or "",
        checked_by=actor,
        checked_at=checked_at or timezone.now(),
    )
    audit_record(
        actor=actor,
        action="checkpoint.check",
        obj=check,
        region_code=check.county_code,
        details={"number": number, "result": result, "offline": offline},
    )
    return CheckOutcome(check, certificate)


# --- Receipts: arrival and slaughter --------------------------------------------------------


@dataclass
class ReceiptPlan:
    received: RangeSet
    missing: RangeSet
    extra: RangeSet


def receipt_plan(certificate: Certificate, scanned: RangeSet) -> ReceiptPlan:
    expected = certificate_numbers(certificate)
    return ReceiptPlan(
        received=expected.intersection(scanned),
        missing=expected.difference(scanned),
        extra=scanned.difference(expected),
    )


def _lock_for_receipt(certificate: Certificate) -> Certificate:
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("premises", "declaration")
        .get(pk=certificate.pk)
    )
    if (
        Receipt.objects.filter(certificate=locked).exists()
        or locked.status == Certificate.Status.USED
    ):
        raise Conflict(
            _("Certificate %(number)s has already been received.") % {"number": locked.number}
        )
    if locked.status == Certificate.Status.REVOKED:
        raise BusinessError(
            _("Certificate %(number)s was revoked.") % {"number": locked.number}, code="revoked"
        )
    return locked


def _alert(
    *,
    actor: User,
    kind: str,
    certificate: Certificate,
    message: str,
    extra: dict[str, object],
    county: str = "",
) -> Alert:
    """An alert to the origin county (or to ``county``), with the certificate's trace."""
    trace = {
        "certificate": certificate.number,
        "origin_premises": certificate.premises.code,
        "origin_name": certificate.premises.name,
        "declaration": certificate.declaration.number,
        "issued_by": str(certificate.issued_by),
        "ranges": [str(r) for r in certificate.ranges.all()],
        **extra,
    }
    alert = Alert.objects.create(
        kind=kind,
        county_id=county or certificate.county_code,
        certificate=certificate,
        message=message[:500],
        trace=trace,
        raised_by=actor,
    )
    audit_record(
        actor=actor,
        action="alert.raise",
        obj=alert,
        region_code=alert.county_id,
        details={"kind": kind},
    )
    return alert


@transaction.atomic
def arrival_report(
    *,
    actor: User,
    certificate: Certificate,
    premises: Premises,
    scanned: RangeSet,
    arrived_at: datetime,
) -> Receipt:
    """Animals arrive at a farm: the tags on the certificate that were scanned move there, the
    farm's stock rises; missing and extra tags are listed and reported to the origin county."""
    require_region(actor, premises.township_id)
    require_role(actor, Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER)
    if not premises.keeps_animals:
        raise BusinessError(
            _("Arrivals are reported at farms; slaughterhouses record a slaughter inspection."),
            code="invalid",
        )
    certificate = _lock_for_receipt(certificate)
    now = timezone.now()
    if arrived_at > now + timedelta(minutes=5):
        raise BusinessError(
            _("The arrival time lies in the future."),
            code="invalid",
            detail={"arrived_at": "future"},
        )
    plan = receipt_plan(certificate, scanned)
    if not plan.received:
        raise BusinessError(_("None of the scanned tags is on the certificate."), code="no_match")
    numbers = list(plan.received.expand())
    tags_transition(
        numbers=numbers,
        event="arrive",
        actor=actor,
        holder=premises.name,
        document_type="certificate",
        document_id=certificate.number,
        premises_id=premises.pk,
    )
    animal_ids = AnimalTag.objects.filter(tag_id__in=numbers).values_list("animal_id", flat=True)
    Animal.objects.filter(pk__in=animal_ids).update(
        premises=premises, county_code=premises.county_code, status=Animal.Status.ALIVE
    )
    stock_change_apply(
        premises=premises,
        species=certificate.species,
        delta=plan.received.count,
        reason=StockChange.Reason.ARRIVAL_IN,
        actor=actor,
        document_type="certificate",
        document_id=certificate.number,
    )
    # Animals for raising from another province must be reported within 24 hours.
    late = (
        certificate.kind == Certificate.Kind.A
        and certificate.purpose == "raising"
        and now - arrived_at > timedelta(hours=24)
    )
    receipt = Receipt.objects.create(
        certificate=certificate,
        kind=Receipt.Kind.ARRIVAL,
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        arrived_at=arrived_at,
        received=_ranges(plan.received),
        missing=_ranges(plan.missing),
        extra=_ranges(plan.extra),
        late=late,
        recorded_by=actor,
    )
    certificate.status = Certificate.Status.USED
    certificate.save(update_fields=["status"])
    if late:
        # The destination county supervises the report that came late.
        _alert(
            actor=actor,
            kind=Alert.Kind.LATE_ARRIVAL,
            certificate=certificate,
            message=_(
                "Animals from another province arrived at %(premises)s on %(date)s; reported late."
            )
            % {
                "premises": premises.name,
                "date": timezone.localtime(arrived_at).strftime("%Y-%m-%d %H:%M"),
            },
            extra={"arrived_at": arrived_at.isoformat(), "reported_at": now.isoformat()},
            county=premises.county_code,
        )
    if plan.missing or plan.extra:
        _alert(
            actor=actor,
            kind=Alert.Kind.MISMATCH,
            certificate=certificate,
            message=_("Arrival at %(premises)s: %(missing)d tags missing, %(extra)d extra tags.")
            % {"premises": premises.name, "missing": plan.missing.count, "extra": plan.extra.count},
            extra={"missing": format_ranges(plan.missing), "extra": format_ranges(plan.extra)},
        )
    outbox_emit(
        "arrival.reported",
        f"certificate:{certificate.number}",
        {
            "certificate": certificate.number,
            "premises": premises.code,
            "arrived_at": arrived_at,
            "received": _tag_text(plan.received),
            "missing": _tag_text(plan.missing),
            "extra": _tag_text(plan.extra),
            "late": late,
        },
    )
    audit_record(
        actor=actor,
        action="arrival.report",
        obj=receipt,
        region_code=premises.township_id,
        details={"certificate": certificate.number, "received": plan.received.count, "late": late},
    )
    return receipt


@transaction.atomic
def slaughter_inspection(
    *,
    actor: User,
    certificate: Certificate,
    slaughterhouse: Premises,
    scanned: RangeSet,
    passed: bool,
    findings: str = "",
    finding_kinds: list[str] | None = None,
    untagged: int = 0,
) -> Receipt:
    """The vet at the slaughterhouse checks certificate and tags, recovers both, and the tags are
    cancelled in the same step; any finding goes to the origin county with the trace."""
    require_region(actor, slaughterhouse.township_id)
    require_role(actor, Role.OFFICIAL_VET)
    if slaughterhouse.kind != Premises.Kind.SLAUGHTERHOUSE:
        raise BusinessError(
            _("%(name)s is not a slaughterhouse.") % {"name": slaughterhouse.name}, code="invalid"
        )
    certificate = _lock_for_receipt(certificate)
    plan = receipt_plan(certificate, scanned)
    if not passed and not findings.strip():
        raise BusinessError(
            _("Describe what was found."), code="invalid", detail={"findings": "required"}
        )
    numbers = list(plan.received.expand())
    if numbers:
        tags_transition(
            numbers=numbers,
            event="recover",
            actor=actor,
            holder=slaughterhouse.name,
            document_type="certificate",
            document_id=certificate.number,
            premises_id=slaughterhouse.pk,
        )
        animal_ids = AnimalTag.objects.filter(tag_id__in=numbers).values_list(
            "animal_id", flat=True
        )
        Animal.objects.filter(pk__in=animal_ids).update(
            premises=slaughterhouse, status=Animal.Status.SLAUGHTERED
        )
    receipt = Receipt.objects.create(
        certificate=certificate,
        kind=Receipt.Kind.SLAUGHTER,
        premises=slaughterhouse,
        county_code=slaughterhouse.county_code,
        township_code=slaughterhouse.township_id,
        arrived_at=timezone.now(),
        received=_ranges(plan.received),
        missing=_ranges(plan.missing),
        extra=_ranges(plan.extra),
        passed=passed,
        findings=findings.strip()[:500],
        recorded_by=actor,
    )
    certificate.status = Certificate.Status.USED
    certificate.save(update_fields=["status"])
    kinds = set(finding_kinds or [])
    if not passed:
        kinds.add(Alert.Kind.DISEASE)
    if plan.missing:
        kinds.add(Alert.Kind.MISMATCH)
    if plan.extra:
        kinds.add(Alert.Kind.FOREIGN_TAG)
    if untagged:
        kinds.add(Alert.Kind.UNTAGGED)
    for kind in sorted(kinds & set(Alert.Kind.values)):
        _alert(
            actor=actor,
            kind=kind,
            certificate=certificate,
            message=_("Slaughter inspection at %(place)s: %(finding)s")
            % {"place": slaughterhouse.name, "finding": findings.strip() or Alert.Kind(kind).label},
            extra={
                "missing": format_ranges(plan.missing),
                "extra": format_ranges(plan.extra),
                "untagged": untagged,
                "findings": findings.strip(),
            },
        )
    outbox_emit(
        "slaughter.inspected",
        f"certificate:{certificate.number}",
        {
            "certificate": certificate.number,
            "premises": slaughterhouse.code,
            "recovered": _tag_text(plan.received),
            "missing": _tag_text(plan.missing),
            "extra": _tag_text(plan.extra),
            "passed": passed,
            "findings": findings.strip(),
        },
    )
    audit_record(
        actor=actor,
        action="slaughter.inspect",
        obj=receipt,
        region_code=slaughterhouse.township_id,
        details={
            "certificate": certificate.number,
            "recovered": plan.received.count,
            "passed": passed,
        },
    )
    return receipt


# --- Deaths, disposal, alerts, destruction --------------------------------------------------


@transaction.atomic
def death_report(
    *,
    actor: User,
    premises: Premises,
    species: str,
    numbers: RangeSet,
    untagged: int = 0,
    cause: str,
    disposal_plant: Premises | None = None,
) -> Death:
    """Deaths and harmless disposal: the tags are cancelled and the stock lowered."""
    require_region(actor, premises.township_id)
    require_role(
        actor, Role.VACCINATOR, Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER, Role.OFFICIAL_VET
    )
    if not cause.strip():
        raise BusinessError(
            _("Give the cause of death."), code="invalid", detail={"cause": "required"}
        )
    if disposal_plant is not None and disposal_plant.kind != Premises.Kind.DISPOSAL:
        raise BusinessError(
            _("%(name)s is not a disposal plant.") % {"name": disposal_plant.name}, code="invalid"
        )
    count = numbers.count + untagged
    if count < 1:
        raise BusinessError(_("Enter the dead animals' tags or their number."), code="invalid")
    tags = {
        a.tag_id: a
        for a in AnimalTag.objects.filter(tag_id__in=list(numbers.expand())).select_related(
            "animal"
        )
    }
    elsewhere = [
        n for n in numbers.expand() if n not in tags or tags[n].animal.premises_id != premises.pk
    ]
    if elsewhere:
        raise BusinessError(
            _("These tags are not on animals of this farm: %(ranges)s.")
            % {"ranges": format_ranges(RangeSet.from_numbers(elsewhere))},
            code="not_here",
        )
    if numbers:
        tags_transition(
            numbers=list(numbers.expand()),
            event="cancel",
            actor=actor,
            holder=premises.name,
            document_type="death",
            document_id=premises.code,
        )
        Animal.objects.filter(pk__in=[a.animal_id for a in tags.values()]).update(
            status=Animal.Status.DEAD
        )
    stock_change_apply(
        premises=premises,
        species=species,
        delta=-count,
        reason=StockChange.Reason.DEATH,
        actor=actor,
        note=cause.strip(),
    )
    death = Death.objects.create(
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        species=species,
        count=count,
        tags=_ranges(numbers),
        cause=cause.strip()[:200],
        disposal_plant=disposal_plant,
        reported_by=actor,
    )
    outbox_emit(
        "death.reported",
        f"premises:{premises.code}",
        {
            "premises": premises.code,
            "species": species,
            "count": count,
            "tags": _tag_text(numbers),
            "cause": death.cause,
            "disposal_plant": disposal_plant.code if disposal_plant else None,
        },
    )
    audit_record(
        actor=actor,
        action="death.report",
        obj=death,
        region_code=premises.township_id,
        details={"count": count},
    )
    return death


@transaction.atomic
def disposal_confirm(*, actor: User, death: Death) -> Death:
    """The harmless-disposal plant confirms it received the carcasses."""
    if death.disposal_plant is None:
        raise BusinessError(_("No disposal plant was named."), code="invalid")
    require_region(actor, death.disposal_plant.township_id)
    require_role(actor, Role.DESTINATION_STAFF, Role.OFFICIAL_VET)
    if death.disposal_confirmed_at is not None:
        raise Conflict(_("The disposal was confirmed already."))
    death.disposal_confirmed_by = actor
    death.disposal_confirmed_at = timezone.now()
    death.save(update_fields=["disposal_confirmed_by", "disposal_confirmed_at"])
    audit_record(
        actor=actor, action="death.disposal_confirm", obj=death, region_code=death.township_code
    )
    return death


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, action_taken: str) -> Alert:
    require_region(actor, alert.county_id)
    require_role(actor, Role.COUNTY_OFFICER, Role.OFFICIAL_VET)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise Conflict(_("The alert was acknowledged already."))
    if not action_taken.strip():
        raise BusinessError(
            _("Say what was done."), code="invalid", detail={"action_taken": "required"}
        )
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.action_taken = action_taken.strip()[:500]
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "action_taken"])
    audit_record(actor=actor, action="alert.acknowledge", obj=alert, region_code=alert.county_id)
    return alert


def recovered_in_county(county_code: str) -> RangeSet:
    """Tags recovered at this county's slaughterhouses and not yet destroyed."""
    received = RangeSet.of(
        (a, b)
        for rows in Receipt.objects.filter(
            county_code=county_code, kind=Receipt.Kind.SLAUGHTER
        ).values_list("received", flat=True)
        for a, b in rows
    )
    still = Tag.objects.filter(number__in=list(received.expand()), state=Tag.State.RECOVERED)
    return RangeSet.from_numbers(still.values_list("number", flat=True))


@transaction.atomic
def destruction_record(
    *,
    actor: User,
    numbers: RangeSet,
    include_voided: bool,
    destroyed_on: date | None = None,
    method: str,
    witnesses: str,
) -> DestructionBatch:
    """A batch of recovered tags (and voided unused ones) destroyed by the county."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise BusinessError(_("Tags are destroyed by a county agency."), code="invalid")
    errors = {}
    if not method.strip():
        errors["method"] = _("Say how the tags were destroyed.")
    if not witnesses.strip():
        errors["witnesses"] = _("Name the witnesses.")
    if errors:
        raise BusinessError(
            _("The destruction could not be recorded."), code="invalid", detail=errors
        )
    held = recovered_in_county(county)
    stray = numbers.difference(held)
    if stray:
        raise BusinessError(
            _("These tags are not recovered tags held by the county: %(ranges)s.")
            % {"ranges": format_ranges(stray)},
            code="not_held",
        )
    voided = (
        list(
            Holding.objects.select_for_update().filter(
                county_code=county, state=Holding.State.VOIDED
            )
        )
        if include_voided
        else []
    )
    count = numbers.count + sum(h.count for h in voided)
    if not count:
        raise BusinessError(_("There is nothing to destroy."), code="empty")
    day = destroyed_on or timezone.localdate()
    sequence = sequence_take(f"destruction:{county}:{day.year}")
    batch = DestructionBatch.objects.create(
        number=f"XH{county}{day.year}{sequence:05d}",
        county_id=county,
        destroyed_on=day,
        method=method.strip()[:100],
        witnesses=witnesses.strip()[:200],
        recovered=_ranges(numbers),
        voided=[[h.first, h.last] for h in voided],
        count=count,
        created_by=actor,
    )
    if numbers:
        tags_transition(
            numbers=list(numbers.expand()),
            event="destroy",
            actor=actor,
            holder=batch.number,
            document_type="destruction",
            document_id=batch.number,
        )
    for holding in voided:
        holding.state = Holding.State.DESTROYED
    Holding.objects.bulk_update(voided, ["state"])
    if voided:
        tag_events_save(
            TagEvent(
                first=h.first,
                last=h.last,
                kind=TagEvent.Kind.DESTROYED,
                species=h.species,
                county_code=h.county_code,
                township_code=h.township_code,
                holder=batch.number,
                document_type="destruction",
                document_id=batch.number,
                actor=actor,
            )
            for h in voided
        )
    audit_record(
        actor=actor, action="tags.destroy", obj=batch, region_code=county, details={"count": count}
    )
    return batch
