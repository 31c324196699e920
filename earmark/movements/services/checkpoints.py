"""Checks at road checkpoints: a certificate read from its QR code or typed in,
recorded with place and time, online or uploaded later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.models import Certificate
from earmark.quarantine.selectors import certificate_state

# A check made offline is uploaded within this many days; one dated later than now (beyond the
# phone's clock drift) is refused.
OFFLINE_DAYS = 30
CLOCK_DRIFT = timedelta(minutes=10)


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
            _("Say where the check took place."),
            code="invalid",
            fields={"place": _("Say where the check took place.")},
        )
    now = timezone.now()
    if checked_at is not None and not (
        now - timedelta(days=OFFLINE_DAYS) <= checked_at <= now + CLOCK_DRIFT
    ):
        message = _(
            "A check is uploaded within %(days)d days of when it was made, never ahead."
        ) % {"days": OFFLINE_DAYS}
        raise BusinessError(message, code="invalid", fields={"checked_at": message})
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
        checked_at=checked_at or now,
    )
    audit_record(
        actor=actor,
        action="checkpoint.check",
        obj=check,
        region_code=check.county_code,
        details={"number": number, "result": result, "offline": offline},
    )
    return CheckOutcome(check, certificate)
