"""Animals arriving from another province (#17) under a type A certificate the national platform
handed over: received only where it sends them, once; the tags that arrived go on animals of
the destination premises — marked as come from outside, so that re-immunization (Order 13 art.
14) applies and they trace here; a report later than 24 hours after arrival of animals for
raising is flagged; breeding and dairy animals are kept in isolation (隔离观察) first."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.preview import dry_run
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.movements.models import CheckpointCheck, ForeignReceipt
from earmark.movements.services.foreign_receipts import (
    foreign_receipt_lock,
    foreign_tags_take,
    origin_tell,
)
from earmark.movements.services.receipts import ReceiptPlan, arrival_refusals, receipt_outcome
from earmark.quarantine.models import ForeignCertificate

# Animals for raising are reported within this long of arrival.
REPORT_HOURS = 24


@transaction.atomic
def foreign_arrival_report(
    *,
    actor: User,
    certificate: ForeignCertificate,
    premises: Premises,
    scanned: RangeSet,
    arrived_at: datetime,
) -> ForeignReceipt:
    require_region(actor, premises.township_id)
    require_role(actor, Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER)
    certificate = foreign_receipt_lock(certificate, premises)
    valid_from = timezone.make_aware(datetime.combine(certificate.valid_from, time.min))
    arrival_refusals(
        premises=premises,
        number=certificate.number,
        arrived_at=arrived_at,
        valid_from=valid_from,
        valid_until=certificate.valid_until,
    )
    now = timezone.now()
    taken = foreign_tags_take(
        actor=actor,
        certificate=certificate,
        premises=premises,
        scanned=scanned,
        arrived_at=arrived_at,
        slaughtered=False,
    )
    breeding = certificate.purpose in ("breeding", "dairy")
    receipt = ForeignReceipt.objects.create(
        certificate=certificate,
        premises=premises,
        kind=ForeignReceipt.Kind.ARRIVAL,
        arrived_at=arrived_at,
        received=taken.received.as_lists(),
        missing=taken.missing.as_lists(),
        extra=taken.extra.as_lists(),
        late=certificate.purpose == "raising" and now - arrived_at > timedelta(hours=REPORT_HOURS),
        isolation_until=(
            timezone.localtime(arrived_at).date() + timedelta(days=settings.EARMARK_ISOLATION_DAYS)
            if breeding
            else None
        ),
        recorded_by=actor,
    )
    passed = CheckpointCheck.objects.filter(
        number=certificate.number, checkpoint__isnull=False
    ).exists()
    problems = [
        name
        for name, found in (
            ("mismatch", bool(receipt.missing or receipt.extra)),
            ("late", receipt.late),
            ("no_checkpoint", not passed),
        )
        if found
    ]
    origin_tell(receipt, problems)
    audit_record(
        actor=actor,
        action="foreign_certificate.receive",
        obj=receipt,
        region_code=premises.township_id,
        details={
            "number": certificate.number,
            "received": taken.received.count,
            "late": receipt.late,
        },
    )
    return receipt


def foreign_arrival_preview(**arguments: Any) -> ReceiptPlan:
    """What ``foreign_arrival_report`` with the same arguments would record, or its refusal."""
    return dry_run(lambda: receipt_outcome(foreign_arrival_report(**arguments)))
