"""The slaughter inspection at a slaughterhouse (the certificate is received and the tags
recovered) and the slaughterhouse's own stock ledger."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, invalid
from earmark.core.preview import dry_run
from earmark.core.species import species_label
from earmark.eartags.messages import format_ranges, tag_pairs
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tags_transition
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.stock import premises_lock, stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.errors import (
    NOT_RECEIVED_HERE,
    SLAUGHTER_BEYOND_CERTIFICATE,
    WRONG_PREMISES_KIND,
)
from earmark.movements.models import Alert, Receipt
from earmark.movements.selectors import waiting_at
from earmark.movements.services.alerts import alert_raise
from earmark.movements.services.receipts import (
    ReceiptPlan,
    certificate_lock_for_receipt,
    certificate_receipt_create,
    receipt_outcome,
    receipt_plan,
)
from earmark.quarantine.models import Certificate


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
            _("%(name)s is not a slaughterhouse.") % {"name": slaughterhouse.name},
            code=WRONG_PREMISES_KIND,
        )
    certificate = certificate_lock_for_receipt(actor, certificate, slaughterhouse, slaughter=True)
    # The animals are received, then their tags recovered: the receipt's moment comes first.
    received_at = timezone.now()
    plan = receipt_plan(certificate, scanned)
    if not passed and not findings.strip():
        raise BusinessError(
            _("Describe what was found."),
            code=INVALID_INPUT,
            fields={"findings": _("Describe what was found.")},
        )
    kinds = set(finding_kinds or [])
    unknown = kinds - set(Alert.Kind.values)
    if unknown:
        raise BusinessError(
            _("Unknown findings: %(kinds)s.") % {"kinds": "、".join(sorted(unknown))},
            code=INVALID_INPUT,
            fields={"finding_kinds": sorted(unknown)},
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
    receipt = certificate_receipt_create(
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
            "recovered": tag_pairs(plan.received),
            "missing": tag_pairs(plan.missing),
            "extra": tag_pairs(plan.extra),
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
    *, actor: User, slaughterhouse: Premises, certificate: str, count: int, note: str = ""
) -> StockChange:
    """Animals a certificate brought in are slaughtered: the slaughterhouse's stock goes down by
    ``count``, never by more than that certificate brought in and is still waiting."""
    require_region(actor, slaughterhouse.township_id)
    require_role(actor, Role.OFFICIAL_VET, Role.DESTINATION_STAFF)
    if slaughterhouse.kind != Premises.Kind.SLAUGHTERHOUSE:
        raise BusinessError(
            _("%(name)s is not a slaughterhouse.") % {"name": slaughterhouse.name},
            code=WRONG_PREMISES_KIND,
        )
    number = certificate.strip()
    if not 1 <= count <= 100_000:
        raise invalid(
            _("The slaughter could not be recorded."),
            {"count": _("Enter the number of animals slaughtered (1 to 100,000).")},
        )
    # Two records of the same animals take turns: the second sees what the first took.
    premises_lock(slaughterhouse)
    found = [
        w
        for w in waiting_at(Premises.objects.filter(pk=slaughterhouse.pk))
        if w.certificate == number
    ]
    if not found or not found[0].received:
        raise BusinessError(
            _("No animals came into %(premises)s on certificate %(number)s.")
            % {"premises": slaughterhouse.name, "number": number},
            code=NOT_RECEIVED_HERE,
            fields={"certificate": _("Enter a certificate received here.")},
        )
    waiting = found[0]
    if count > waiting.waiting:
        raise BusinessError(
            _(
                "Certificate %(number)s brought %(received)d %(species)s into %(premises)s and "
                "%(slaughtered)d are slaughtered already: at most %(waiting)d can be recorded."
            )
            % {
                "number": number,
                "received": waiting.received,
                "species": species_label(waiting.species),
                "premises": slaughterhouse.name,
                "slaughtered": waiting.slaughtered,
                "waiting": waiting.waiting,
            },
            code=SLAUGHTER_BEYOND_CERTIFICATE,
            fields={"count": _("At most %(n)d.") % {"n": waiting.waiting}},
        )
    change = stock_change_apply(
        premises=slaughterhouse,
        species=waiting.species,
        delta=-count,
        reason=StockChange.Reason.SLAUGHTER,
        actor=actor,
        document_type="certificate",
        document_id=number,
        note=note.strip(),
    )
    outbox_emit(
        "slaughter.recorded",
        f"premises:{slaughterhouse.code}",
        {
            "premises": slaughterhouse.code,
            "certificate": number,
            "species": waiting.species,
            "count": count,
        },
    )
    audit_record(
        actor=actor,
        action="slaughter.record",
        obj=slaughterhouse,
        region_code=slaughterhouse.township_id,
        details={
            "certificate": number,
            "species": waiting.species,
            "count": count,
            "balance": change.balance,
        },
    )
    return change


def slaughter_preview(**arguments: Any) -> ReceiptPlan:
    """What ``slaughter_inspection`` with the same arguments would record, or its refusal."""
    return dry_run(lambda: receipt_outcome(slaughter_inspection(**arguments)))
