"""A farm's credentials for its own page: the QR token and the 6-digit PIN."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.farms.models import Premises
from earmark.farms.services.registration import EDITORS

PIN_FAILURE_LIMIT = 5


PIN_LOCK = timedelta(minutes=15)


@transaction.atomic
def premises_pin_issue(*, actor: User, premises: Premises) -> str:
    """A new 6-digit PIN for the farm's page; returned once, stored only as a hash."""
    require_role(actor, *EDITORS)
    require_region(actor, premises.township_id)
    pin = f"{secrets.randbelow(1_000_000):06d}"
    premises.pin_hash = make_password(pin)
    premises.pin_failures = 0
    premises.pin_locked_until = None
    premises.save(update_fields=["pin_hash", "pin_failures", "pin_locked_until", "updated_at"])
    audit_record(
        actor=actor, action="premises.pin_issue", obj=premises, region_code=premises.township_id
    )
    return pin


@transaction.atomic
def premises_qr_rotate(*, actor: User, premises: Premises) -> Premises:
    """A new QR token: the old QR code and its page stop working at once."""
    require_role(actor, *EDITORS)
    require_region(actor, premises.township_id)
    premises.qr_token = secrets.token_urlsafe(24)
    premises.save(update_fields=["qr_token", "updated_at"])
    audit_record(
        actor=actor, action="premises.qr_rotate", obj=premises, region_code=premises.township_id
    )
    return premises


@dataclass(frozen=True)
class PinResult:
    ok: bool
    message: str = ""


@transaction.atomic
def premises_pin_check(*, premises: Premises, pin: str) -> PinResult:
    """Open the farm's page with its PIN; repeated wrong PINs lock the page for a while.

    Answers instead of raising, so that a wrong attempt is committed and counted.
    """
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    now = timezone.now()
    if premises.pin_locked_until and premises.pin_locked_until > now:
        return PinResult(False, _locked_message(premises.pin_locked_until - now))
    if not premises.pin_hash:
        return PinResult(False, _("This farm has no PIN yet. Ask the township station for one."))
    if check_password(pin.strip(), premises.pin_hash):
        if premises.pin_failures:
            premises.pin_failures = 0
            premises.save(update_fields=["pin_failures"])
        return PinResult(True)
    premises.pin_failures += 1
    if premises.pin_failures >= PIN_FAILURE_LIMIT:
        premises.pin_locked_until = now + PIN_LOCK
        premises.pin_failures = 0
        premises.save(update_fields=["pin_failures", "pin_locked_until"])
        audit_record(
            actor=None, action="premises.pin_locked", obj=premises, region_code=premises.township_id
        )
        return PinResult(False, _locked_message(PIN_LOCK))
    premises.save(update_fields=["pin_failures"])
    return PinResult(
        False, _("The PIN is wrong. The page locks for a while after repeated wrong PINs.")
    )


def _locked_message(remaining: timedelta) -> str:
    minutes = max(1, -(-int(remaining.total_seconds()) // 60))
    return _("Too many wrong PINs. Try again in %(minutes)d minutes.") % {"minutes": minutes}
