"""The slaughter inspection of animals another province certified (#30): as for this province's
certificates, the vet checks certificate and tags at the slaughterhouse, the tags are recovered
in this province's records (and destroyed with the county's), the animals wait for slaughter in
the slaughterhouse's stock; the issuing province hears through the platform that its
certificate is used and its tags recovered, and what was found, as an alert to its origin
county."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, invalid
from earmark.core.preview import dry_run
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.movements.errors import CERTIFICATE_EXPIRED, WRONG_PREMISES_KIND
from earmark.movements.models import ForeignReceipt
from earmark.movements.services.foreign_receipts import (
    foreign_receipt_lock,
    foreign_tags_take,
    origin_tell,
)
from earmark.movements.services.receipts import ReceiptPlan, receipt_outcome
from earmark.quarantine.models import ForeignCertificate


@transaction.atomic
def foreign_slaughter_inspection(
    *,
    actor: User,
    certificate: ForeignCertificate,
    slaughterhouse: Premises,
    scanned: RangeSet,
    passed: bool,
    findings: str = "",
    finding_kinds: list[str] | None = None,
    untagged: int = 0,
) -> ForeignReceipt:
    """Receive another province's certificate at a slaughterhouse and recover its tags."""
    require_region(actor, slaughterhouse.township_id)
    require_role(actor, Role.OFFICIAL_VET)
    if slaughterhouse.kind != Premises.Kind.SLAUGHTERHOUSE:
        raise BusinessError(
            _("%(name)s is not a slaughterhouse.") % {"name": slaughterhouse.name},
            code=WRONG_PREMISES_KIND,
        )
    certificate = foreign_receipt_lock(certificate, slaughterhouse)
    now = timezone.now()
    if timezone.localtime(now).date() > certificate.valid_until:
        raise BusinessError(
            _("Certificate %(number)s was valid until %(date)s.")
            % {"number": certificate.number, "date": certificate.valid_until.isoformat()},
            code=CERTIFICATE_EXPIRED,
        )
    if not passed and not findings.strip():
        message = _("Describe what was found.")
        raise invalid(message, {"findings": message})
    taken = foreign_tags_take(
        actor=actor,
        certificate=certificate,
        premises=slaughterhouse,
        scanned=scanned,
        arrived_at=now,
        slaughtered=True,
    )
    receipt = ForeignReceipt.objects.create(
        certificate=certificate,
        premises=slaughterhouse,
        kind=ForeignReceipt.Kind.SLAUGHTER,
        arrived_at=now,
        received=taken.received.as_lists(),
        missing=taken.missing.as_lists(),
        extra=taken.extra.as_lists(),
        passed=passed,
        findings=findings.strip()[:500],
        recorded_by=actor,
    )
    problems = [
        name
        for name, found in (
            ("disease", not passed or "disease" in (finding_kinds or [])),
            ("mismatch", bool(receipt.missing or receipt.extra)),
            ("untagged", untagged > 0),
        )
        if found
    ]
    origin_tell(receipt, problems)
    audit_record(
        actor=actor,
        action="foreign_certificate.slaughter_inspect",
        obj=receipt,
        region_code=slaughterhouse.township_id,
        details={
            "number": certificate.number,
            "province": certificate.province,
            "recovered": taken.received.count,
            "passed": passed,
        },
    )
    return receipt


def foreign_slaughter_preview(**arguments: Any) -> ReceiptPlan:
    """What ``foreign_slaughter_inspection`` with the same arguments would record, or its
    refusal."""
    return dry_run(lambda: receipt_outcome(foreign_slaughter_inspection(**arguments)))
