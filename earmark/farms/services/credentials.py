"""A farm's credentials: the QR token and the 6-digit PIN that open its own page, and the API
tokens it obtains with them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

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
from earmark.farms.models import FarmToken, PinAttempts, Premises
from earmark.farms.selectors import premises_by_token
from earmark.farms.services.registration import EDITORS

# Wrong PINs one source address may send before it waits; each further one doubles the wait, up
# to an hour. Many sources together (a phone on a carrier's shared address is one of them) lock
# the whole farm for a while, except for the sources that opened its page before.
PIN_FAILURE_LIMIT = 5
PIN_FIRST_WAIT = timedelta(minutes=1)
PIN_LONGEST_WAIT = timedelta(hours=1)
FARM_FAILURE_LIMIT = 50
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
def premises_pin_check(*, premises: Premises, pin: str, source: str = "") -> PinResult:
    """Open the farm's page with its PIN, from the address ``source``. Wrong PINs from one
    source make that source wait longer and longer; many from everywhere lock the farm for a
    while, except where its page was opened before (#34). Every wrong PIN is in the audit log.

    Answers instead of raising, so that a wrong attempt is committed and counted.
    """
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    attempts, _new = PinAttempts.objects.select_for_update().get_or_create(
        premises=premises, source=source
    )
    now = timezone.now()
    if attempts.wait_until and attempts.wait_until > now:
        return PinResult(False, _locked_message(attempts.wait_until - now), PIN_LOCKED)
    locked = premises.pin_locked_until and premises.pin_locked_until > now
    if locked and attempts.opened_at is None:
        assert premises.pin_locked_until is not None
        return PinResult(False, _locked_message(premises.pin_locked_until - now), PIN_LOCKED)
    if not premises.pin_hash:
        return PinResult(False, str(FARM_HAS_NO_PIN.message), FARM_HAS_NO_PIN)
    if check_password(pin.strip(), premises.pin_hash):
        attempts.failures, attempts.wait_until, attempts.opened_at = 0, None, now
        attempts.save(update_fields=["failures", "wait_until", "opened_at", "updated_at"])
        return PinResult(True)
    return _wrong_pin(premises, attempts, now)


def _wrong_pin(premises: Premises, attempts: PinAttempts, now: datetime) -> PinResult:
    attempts.failures += 1
    premises.pin_failures += 1
    details: dict[str, object] = {"source": attempts.source, "failures": attempts.failures}
    result = PinResult(False, str(WRONG_PIN.message), WRONG_PIN)
    if attempts.failures >= PIN_FAILURE_LIMIT:
        wait = min(PIN_FIRST_WAIT * 2 ** (attempts.failures - PIN_FAILURE_LIMIT), PIN_LONGEST_WAIT)
        attempts.wait_until = now + wait
        details["wait_minutes"] = int(wait.total_seconds() // 60)
        result = PinResult(False, _locked_message(wait), PIN_LOCKED)
    if premises.pin_failures >= FARM_FAILURE_LIMIT:
        premises.pin_locked_until, premises.pin_failures = now + PIN_LOCK, 0
        details["farm_locked_minutes"] = int(PIN_LOCK.total_seconds() // 60)
        if attempts.opened_at is None:
            result = PinResult(False, _locked_message(PIN_LOCK), PIN_LOCKED)
    attempts.save(update_fields=["failures", "wait_until", "updated_at"])
    premises.save(update_fields=["pin_failures", "pin_locked_until"])
    audit_record(
        actor=None,
        action="premises.pin_wrong",
        obj=premises,
        region_code=premises.township_id,
        details=details,
    )
    return result


@transaction.atomic
def premises_pin_unlock(*, actor: User, premises: Premises) -> Premises:
    """The county (or township) lifts every wait and lock on the farm's PIN: the farmer who
    was held up can sign in again at once. The PIN itself stays."""
    require_role(actor, *EDITORS)
    require_region(actor, premises.township_id)
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    waiting = PinAttempts.objects.filter(premises=premises, wait_until__gt=timezone.now()).count()
    PinAttempts.objects.filter(premises=premises).update(failures=0, wait_until=None)
    premises.pin_failures, premises.pin_locked_until = 0, None
    premises.save(update_fields=["pin_failures", "pin_locked_until", "updated_at"])
    audit_record(
        actor=actor,
        action="premises.pin_unlock",
        obj=premises,
        region_code=premises.township_id,
        details={"sources_waiting": waiting},
    )
    return premises


def _locked_message(remaining: timedelta) -> str:
    minutes = max(1, -(-int(remaining.total_seconds()) // 60))
    return _("Too many wrong PINs. Try again in %(minutes)d minutes.") % {"minutes": minutes}


FARM_TOKEN_PREFIX = "fm"  # noqa: S105 - the visible start of every farm token, not a secret


def farm_token_create(
    *, qr_token: str, pin: str, name: str, source: str = ""
) -> tuple[FarmToken, str]:
    """An API token for the farm whose QR code and PIN are given; the raw token is returned
    once and never kept. A wrong PIN counts towards the lock as on the farm's page."""
    premises = premises_by_token(token=qr_token)
    name = name.strip()
    if not name:
        message = _("Name the device the token is for.")
        raise invalid(message, {"name": message})
    # The PIN check commits its own count of wrong attempts, whatever follows.
    checked = premises_pin_check(premises=premises, pin=pin, source=source)
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
