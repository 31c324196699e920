"""An arrival at a farm: the certificate is received, the tags checked against it, and the
animals and stock move to the farm."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError
from earmark.core.preview import dry_run
from earmark.eartags.messages import format_ranges, tag_pairs
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tags_transition
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.stock import stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.errors import NO_TAG_ON_CERTIFICATE
from earmark.movements.models import Alert, Receipt
from earmark.movements.services.alerts import alert_raise
from earmark.movements.services.receipts import (
    ReceiptPlan,
    arrival_refusals,
    certificate_lock_for_receipt,
    certificate_receipt_create,
    receipt_outcome,
    receipt_plan,
)
from earmark.quarantine.models import Certificate, Declaration


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
    certificate = certificate_lock_for_receipt(actor, certificate, premises, slaughter=False)
    arrival_refusals(
        premises=premises,
        number=certificate.number,
        arrived_at=arrived_at,
        valid_from=certificate.issued_at,
        valid_until=certificate.valid_until,
    )
    now = timezone.now()
    plan = receipt_plan(certificate, scanned)
    if not plan.received:
        raise BusinessError(
            _("None of the scanned tags is on the certificate."), code=NO_TAG_ON_CERTIFICATE
        )
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
    receipt = certificate_receipt_create(
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
            "received": tag_pairs(plan.received),
            "missing": tag_pairs(plan.missing),
            "extra": tag_pairs(plan.extra),
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


def arrival_preview(**arguments: Any) -> ReceiptPlan:
    """What ``arrival_report`` with the same arguments would record, or its refusal."""
    return dry_run(lambda: receipt_outcome(arrival_report(**arguments)))
