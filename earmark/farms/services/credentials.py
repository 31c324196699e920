"""A farm's credentials: the QR token and the 6-digit PIN that open its own page, and the API
tokens it obtains with them."""

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
from earmark.core.errors import BusinessError, ErrorCode, invalid
from earmark.core.tokens import token_hash, token_new
from earmark.farms.errors import FARM_HAS_NO_PIN, PIN_LOCKED, WRONG_PIN
from earmark.farms.models import FarmToken, Premises
from earmark.farms.selectors import premises_by_token
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
    _farm_tokens_retire(premises)
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
    _farm_tokens_retire(premises)
    audit_record(
        actor=actor, action="premises.qr_rotate", obj=premises, region_code=premises.township_id
    )
    return premises


def _farm_tokens_retire(premises: Premises) -> None:
    """New credentials retire the API tokens obtained with the old ones."""
    FarmToken.objects.filter(premises=premises, revoked_at=None).update(revoked_at=timezone.now())


@dataclass(frozen=True)
class PinResult:
    ok: bool
    message: str = ""
    code: ErrorCode | None = None


@transaction.atomic
def premises_pin_check(*, premises: Premises, pin: str) -> PinResult:
    """Open the farm's page with its PIN; repeated wrong PINs lock the page for a while.

    Answers instead of raising, so that a wrong attempt is committed and counted.
    """
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    now = timezone.now()
    if premises.pin_locked_until and premises.pin_locked_until > now:
        return PinResult(False, _locked_message(premises.pin_locked_until - now), PIN_LOCKED)
    if not premises.pin_hash:
        return PinResult(False, str(FARM_HAS_NO_PIN.message), FARM_HAS_NO_PIN)
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
        return PinResult(False, _locked_message(PIN_LOCK), PIN_LOCKED)
    premises.save(update_fields=["pin_failures"])
    return PinResult(False, str(WRONG_PIN.message), WRONG_PIN)


def _locked_message(remaining: timedelta) -> str:
    minutes = max(1, -(-int(remaining.total_seconds()) // 60))
    return _("Too many wrong PINs. Try again in %(minutes)d minutes.") % {"minutes": minutes}


FARM_TOKEN_PREFIX = "fm"  # noqa: S105 - the visible start of every farm token, not a secret


def farm_token_create(*, qr_token: str, pin: str, name: str) -> tuple[FarmToken, str]:
    """An API token for the farm whose QR code and PIN are given; the raw token is returned
    once and never kept. A wrong PIN counts towards the lock as on the farm's page."""
    premises = premises_by_token(token=qr_token)
    name = name.strip()
    if not name:
        message = _("Name the device the token is for.")
        raise invalid(message, {"name": message})
    # The PIN check commits its own count of wrong attempts, whatever follows.
    checked = premises_pin_check(premises=premises, pin=pin)
    if not checked.ok:
        assert checked.code is not None
        raise BusinessError(checked.message, code=checked.code, fields={"pin": checked.message})
    return _farm_token_save(premises, name)


@transaction.atomic
def _farm_token_save(premises: Premises, name: str) -> tuple[FarmToken, str]:
    prefix, raw = token_new(FARM_TOKEN_PREFIX)
    token = FarmToken.objects.create(
        premises=premises, name=name[:100], prefix=prefix, key_hash=token_hash(raw)
    )
    audit_record(
        actor=None,
        action="farm_token.create",
        obj=token,
        region_code=premises.township_id,
        details={"premises": premises.code, "name": token.name, "prefix": prefix},
    )
    return token, raw


@transaction.atomic
def farm_token_revoke(*, token: FarmToken) -> FarmToken:
    """The farm gives up a token (a lost phone); it stops working at once."""
    token = FarmToken.objects.select_for_update().select_related("premises").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=None,
            action="farm_token.revoke",
            obj=token,
            region_code=token.premises.township_id,
            details={"premises": token.premises.code, "prefix": token.prefix},
        )
    return token
