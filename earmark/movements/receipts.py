"""Receiving a certificate at its destination: an arrival at a farm, or the slaughter
inspection at a slaughterhouse. A certificate is received once, and only where it sends the
animals (DESIGN §5): at its destination premises, or — when the declaration named only an
address — at a premises of the destination county; never in this province when it sends them to
another one. A real change of destination is recorded first (``redirects``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, Conflict, NotFound
from earmark.core.preview import dry_run
from earmark.core.species import Species
from earmark.eartags.messages import format_ranges
from earmark.eartags.ranges import RangeSet
from earmark.eartags.usage import tags_transition
from earmark.exchange.outbox import outbox_emit
from earmark.farms.models import Premises, StockChange
from earmark.farms.stock import stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.alerts import alert_raise
from earmark.movements.models import Alert, Receipt
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.selectors import certificate_visible


def _ranges(numbers: RangeSet) -> list[list[int]]:
    return [[a, b] for a, b in numbers]


def _tag_text(numbers: RangeSet) -> list[list[str]]:
    return [[f"{a:015d}", f"{b:015d}"] for a, b in numbers]


def certificate_numbers(certificate: Certificate) -> RangeSet:
    return RangeSet.of(certificate.ranges.values_list("first", "last"))


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


def destination_problem(certificate: Certificate, premises: Premises, *, slaughter: bool) -> str:
    """Why ``certificate`` cannot be received at ``premises`` (empty when it can)."""
    number = certificate.number
    target = certificate.destination_premises
    if target is not None:
        if target.pk != premises.pk:
            return _(
                "Certificate %(number)s sends the animals to %(name)s (%(code)s), not here. If "
                "they came here instead, the destination county records a change of destination "
                "first."
            ) % {"number": number, "name": target.name, "code": target.code}
    elif certificate.destination_province != settings.EARMARK_PROVINCE_CODE:
        return _(
            "Certificate %(number)s sends the animals to another province; it cannot be "
            "received in this province."
        ) % {"number": number}
    else:
        region = certificate.destination_region_id or ""
        if premises.county_code != region[:6] or not premises.township_id.startswith(region):
            return _(
                "Certificate %(number)s sends the animals to %(place)s; %(name)s lies elsewhere."
            ) % {"number": number, "place": certificate.destination, "name": premises.name}
        for_slaughter = certificate.purpose == Declaration.Purpose.SLAUGHTER
        if for_slaughter and not slaughter:
            return _(
                "Certificate %(number)s is for slaughter: the animals are received by the "
                "slaughter inspection at a slaughterhouse."
            ) % {"number": number}
        if slaughter and not for_slaughter:
            return _(
                "Certificate %(number)s is not for slaughter; a slaughterhouse receives it only "
                "after a recorded change of destination."
            ) % {"number": number}
    return ""


def _lock_for_receipt(
    actor: User, certificate: Certificate, premises: Premises, *, slaughter: bool
) -> Certificate:
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("premises", "declaration", "destination_premises")
        .get(pk=certificate.pk)
    )
    problem = destination_problem(locked, premises, slaughter=slaughter)
    if problem and not certificate_visible(actor, locked):
        # A certificate that neither leaves nor reaches the user's jurisdiction does not exist
        # for the user, as everywhere else.
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": locked.number})
    if Receipt.objects.filter(certificate=locked).exists() or locked.status == (
        Certificate.Status.USED
    ):
        raise Conflict(
            _("Certificate %(number)s has already been received.") % {"number": locked.number}
        )
    if locked.status == Certificate.Status.REVOKED:
        raise BusinessError(
            _("Certificate %(number)s was revoked.") % {"number": locked.number}, code="revoked"
        )
    if problem:
        raise BusinessError(problem, code="wrong_destination")
    return locked


def _received(
    certificate: Certificate,
    kind: str,
    premises: Premises,
    arrived_at: datetime,
    plan: ReceiptPlan,
    actor: User,
    **outcome: Any,
) -> Receipt:
    """The receipt of a certificate at ``premises``; the certificate is used from then on."""
    receipt = Receipt.objects.create(
        certificate=certificate,
        kind=kind,
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        arrived_at=arrived_at,
        received=_ranges(plan.received),
        missing=_ranges(plan.missing),
        extra=_ranges(plan.extra),
        recorded_by=actor,
        **outcome,
    )
    certificate.status = Certificate.Status.USED
    certificate.save(update_fields=["status"])
    return receipt


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
    certificate = _lock_for_receipt(actor, certificate, premises, slaughter=False)
    now = timezone.now()
    if arrived_at > now + timedelta(minutes=5):
        raise BusinessError(
            _("The arrival time lies in the future."),
            code="invalid",
            detail={"fields": {"arrived_at": _("The arrival time lies in the future.")}},
        )
    if arrived_at < certificate.issued_at:
        raise BusinessError(
            _("The animals cannot arrive before their certificate was issued."),
            code="invalid",
            detail={"fields": {"arrived_at": _("before the certificate was issued")}},
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
        premises=premises,
        county_code=premises.county_code,
        status=Animal.Status.ALIVE,
        arrived_from=certificate.county_code,
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
        and certificate.purpose == Declaration.Purpose.RAISING
        and now - arrived_at > timedelta(hours=24)
    )
    receipt = _received(
        certificate, Receipt.Kind.ARRIVAL, premises, arrived_at, plan, actor, late=late
    )
    if late:
        # The destination county supervises the report that came late.
        alert_raise(
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
        alert_raise(
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
    cancelled in the same step; the animals join the slaughterhouse's stock, waiting for
    slaughter; any finding goes to the origin county with the trace."""
    require_region(actor, slaughterhouse.township_id)
    require_role(actor, Role.OFFICIAL_VET)
    if slaughterhouse.kind != Premises.Kind.SLAUGHTERHOUSE:
        raise BusinessError(
            _("%(name)s is not a slaughterhouse.") % {"name": slaughterhouse.name}, code="invalid"
        )
    certificate = _lock_for_receipt(actor, certificate, slaughterhouse, slaughter=True)
    # The animals are received, then their tags recovered: the receipt's moment comes first.
    received_at = timezone.now()
    plan = receipt_plan(certificate, scanned)
    if not passed and not findings.strip():
        raise BusinessError(
            _("Describe what was found."),
            code="invalid",
            detail={"fields": {"findings": _("Describe what was found.")}},
        )
    kinds = set(finding_kinds or [])
    unknown = kinds - set(Alert.Kind.values)
    if unknown:
        raise BusinessError(
            _("Unknown findings: %(kinds)s.") % {"kinds": "、".join(sorted(unknown))},
            code="invalid",
            detail={"fields": {"finding_kinds": sorted(unknown)}},
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
            premises=slaughterhouse,
            county_code=slaughterhouse.county_code,
            status=Animal.Status.SLAUGHTERED,
        )
        stock_change_apply(
            premises=slaughterhouse,
            species=certificate.species,
            delta=len(numbers),
            reason=StockChange.Reason.ARRIVAL_IN,
            actor=actor,
            document_type="certificate",
            document_id=certificate.number,
        )
    receipt = _received(
        certificate,
        Receipt.Kind.SLAUGHTER,
        slaughterhouse,
        received_at,
        plan,
        actor,
        passed=passed,
        findings=findings.strip()[:500],
    )
    if not passed:
        kinds.add(Alert.Kind.DISEASE)
    if plan.missing:
        kinds.add(Alert.Kind.MISMATCH)
    if plan.extra:
        kinds.add(Alert.Kind.FOREIGN_TAG)
    if untagged:
        kinds.add(Alert.Kind.UNTAGGED)
    for kind in sorted(kinds):
        alert_raise(
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


@transaction.atomic
def slaughter_record(
    *, actor: User, slaughterhouse: Premises, species: str, count: int, note: str = ""
) -> StockChange:
    """Animals waiting at a slaughterhouse are slaughtered: its stock goes down by ``count``
    (never below zero), as a row of its ledger."""
    require_region(actor, slaughterhouse.township_id)
    require_role(actor, Role.OFFICIAL_VET, Role.DESTINATION_STAFF)
    if slaughterhouse.kind != Premises.Kind.SLAUGHTERHOUSE:
        raise BusinessError(
            _("%(name)s is not a slaughterhouse.") % {"name": slaughterhouse.name}, code="invalid"
        )
    fields: dict[str, str] = {}
    if species not in Species.values:
        fields["species"] = _("Choose pig, cattle or sheep.")
    if not 1 <= count <= 100_000:
        fields["count"] = _("Enter the number of animals slaughtered (1 to 100,000).")
    if fields:
        raise BusinessError(
            _("The slaughter could not be recorded."), code="invalid", detail={"fields": fields}
        )
    change = stock_change_apply(
        premises=slaughterhouse,
        species=species,
        delta=-count,
        reason=StockChange.Reason.SLAUGHTER,
        actor=actor,
        document_type="slaughter",
        document_id=slaughterhouse.code,
        note=note.strip(),
    )
    outbox_emit(
        "slaughter.recorded",
        f"premises:{slaughterhouse.code}",
        {"premises": slaughterhouse.code, "species": species, "count": count},
    )
    audit_record(
        actor=actor,
        action="slaughter.record",
        obj=slaughterhouse,
        region_code=slaughterhouse.township_id,
        details={"species": species, "count": count, "balance": change.balance},
    )
    return change


def _outcome(receipt: Receipt) -> ReceiptPlan:
    return ReceiptPlan(
        received=RangeSet.of(map(tuple, receipt.received)),
        missing=RangeSet.of(map(tuple, receipt.missing)),
        extra=RangeSet.of(map(tuple, receipt.extra)),
    )


def arrival_preview(**arguments: Any) -> ReceiptPlan:
    """What ``arrival_report`` with the same arguments would record, or its refusal."""
    return dry_run(lambda: _outcome(arrival_report(**arguments)))


def slaughter_preview(**arguments: Any) -> ReceiptPlan:
    """What ``slaughter_inspection`` with the same arguments would record, or its refusal."""
    return dry_run(lambda: _outcome(slaughter_inspection(**arguments)))
