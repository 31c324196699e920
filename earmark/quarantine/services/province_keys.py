"""Whose key is whose (#30). Another province's certificates are believed only when signed by a
key this province trusts, and the national platform that hands the keys over is not trusted to
say which key is a province's:

- a province's first key waits until this province's administrator pins it, having compared
  its fingerprint with the one the other province gave out of band (``province_key_pin``);
- every later key is trusted only when the key it replaces signed it (an endorsement, with
  the moment the new key takes over); the old key is then retired: what it signs afterwards
  is not believed, what it signed before still verifies;
- any other key for a province that has a trusted one is quarantined and raised to the
  administrator; a key claiming this province's own code is refused.

This province's own key goes the other way: published once per key, with the endorsement of
the key it replaced (``signing_key_publish``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.errors import BusinessError, NotFound, invalid
from earmark.core.inbound import Reason, Refusal, Taken, digits, moment, take_each, text
from earmark.core.validators import one_line
from earmark.quarantine.errors import FINGERPRINT_MISMATCH, KEY_ALREADY_TRUSTED
from earmark.quarantine.models import ProvinceKey
from earmark.regions.provinces import PROVINCES

Status = ProvinceKey.Status


def province_keys_store(entries: Any) -> Taken:
    """Take the keys the platform publishes (province, kid, public_key, valid_from and, for a
    key that replaces another, its endorsement)."""
    return take_each("key", entries, _key_take)


def _key_take(entry: dict[str, Any], result: Taken) -> bool:
    province = digits(entry.get("province"), "province", (6,))
    if province not in PROVINCES:
        raise Refusal(Reason.OUT_OF_BOUNDS, "province")
    public = text(entry, "public_key", 64)
    if not signing.is_public_raw(public):
        raise Refusal(Reason.OUT_OF_BOUNDS, "public_key")
    kid = signing.key_id_of(public)
    reference: dict[str, Any] = {"reference": kid, "province": province}
    if entry.get("kid") != kid:
        raise Refusal(Reason.KEY_MISMATCH, **reference)
    if province == settings.EARMARK_PROVINCE_CODE:
        # This province's own keys come back from the platform: known, nothing to take.
        if kid in signing.own_public_keys():
            return False
        raise Refusal(Reason.OWN_PROVINCE, alert=True, **reference)
    since = moment(entry.get("valid_from"), "valid_from")
    known = ProvinceKey.objects.select_for_update().filter(kid=kid).first()
    if known is not None and known.province != province:
        raise Refusal(Reason.CONFLICT, "province", alert=True, **reference)
    if known is not None and known.trusted:
        return False
    trusted = ProvinceKey.objects.filter(province=province, status=Status.TRUSTED)
    if not trusted.exists():
        if known is not None:
            return False
        _keep(province, kid, public, since, status=Status.PENDING)
        return True
    endorser, taking_over = _endorser(entry.get("endorsement"), province, public)
    if endorser is None:
        if known is not None:
            return False
        _keep(province, kid, public, since, status=Status.QUARANTINED, reason=taking_over)
        result.alerts.append(
            _("A further key %(kid)s for %(province)s, not signed by its trusted key: %(why)s")
            % {"kid": kid, "province": PROVINCES[province], "why": taking_over}
        )
        return True
    key = known or ProvinceKey(province=province, kid=kid, public_key=public)
    key.status, key.reason, key.endorsed_by = Status.TRUSTED, "", endorser
    key.valid_from = taking_over
    key.endorsement = str(entry["endorsement"])
    key.save()
    ProvinceKey.objects.filter(pk=endorser.pk, retired_at__isnull=True).update(
        retired_at=taking_over
    )
    _audit(None, "province_key.endorsed", key, endorsed_by=endorser.kid)
    return True


def _endorser(endorsement: Any, province: str, public: str) -> tuple[ProvinceKey | None, Any]:
    """The trusted, unretired key of ``province`` that signed ``endorsement`` for ``public``,
    and the moment the new key takes over; else None and why not."""
    if not isinstance(endorsement, str) or not endorsement or len(endorsement) > 2000:
        return None, _("not signed by the key it replaces")
    fields = signing.payload_fields(endorsement)
    endorser = ProvinceKey.objects.filter(
        kid=str(fields.get("kid", ""))[:32],
        province=province,
        status=Status.TRUSTED,
        retired_at__isnull=True,
    ).first()
    if endorser is None:
        return None, _("signed by a key this province does not trust, or one already replaced")
    verified = signing.verify_raw(endorsement, endorser.public_key)
    wanted = {"endorses": signing.key_id_of(public), "public_key": public, "province": province}
    if not verified.ok or any(verified.fields.get(k) != v for k, v in wanted.items()):
        return None, _("the signature does not cover this key")
    try:
        return endorser, moment(verified.fields.get("valid_from"), "valid_from")
    except Refusal:
        return None, _("the signature does not say when the key takes over")


def _keep(
    province: str, kid: str, public: str, since: Any, *, status: str, reason: str = ""
) -> ProvinceKey:
    key = ProvinceKey.objects.create(
        province=province,
        kid=kid,
        public_key=public,
        valid_from=since,
        status=status,
        reason=reason[:200],
    )
    _audit(None, f"province_key.{status}", key)
    return key


def _audit(actor: User | None, action: str, key: ProvinceKey, **details: Any) -> None:
    """Every change of trust is kept in the audit chain with the key's fingerprint."""
    audit_record(
        actor=actor,
        action=action,
        obj=key,
        details={
            "province": key.province,
            "kid": key.kid,
            "fingerprint": signing.fingerprint(key.public_key),
            **details,
        },
    )


def _normalized(fingerprint: str) -> str:
    return "".join(c for c in fingerprint.upper() if c in "0123456789ABCDEF")


@transaction.atomic
def province_key_pin(*, actor: User, kid: str, fingerprint: str) -> ProvinceKey:
    """Trust another province's key, waiting or quarantined, once the administrator has typed
    the fingerprint the other province gave out of band. Pinning a key for a province that
    already has one retires the old one now (a province that lost its key)."""
    require_role(actor, Role.PROVINCE_ADMIN)
    key = ProvinceKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise NotFound()
    if key.trusted:
        raise BusinessError(code=KEY_ALREADY_TRUSTED)
    if not _normalized(fingerprint):
        message = _("Type the fingerprint the other province gave you.")
        raise invalid(message, {"fingerprint": message})
    if _normalized(fingerprint) != _normalized(signing.fingerprint(key.public_key)):
        raise BusinessError(code=FINGERPRINT_MISMATCH)
    now = timezone.now()
    ProvinceKey.objects.filter(
        province=key.province, status=Status.TRUSTED, retired_at__isnull=True
    ).update(retired_at=now)
    key.status, key.reason, key.pinned_by, key.pinned_at = Status.TRUSTED, "", actor, now
    key.save(update_fields=["status", "reason", "pinned_by", "pinned_at"])
    _audit(actor, "province_key.pin", key)
    return key


@transaction.atomic
def province_key_distrust(*, actor: User, kid: str, reason: str) -> ProvinceKey:
    """Stop trusting another province's key (it was stolen, or never theirs): it is
    quarantined with the reason, and what it signed no longer verifies here."""
    require_role(actor, Role.PROVINCE_ADMIN)
    key = ProvinceKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise NotFound()
    said = one_line(reason, 200)
    if not said:
        message = _("Say why the key is no longer trusted.")
        raise invalid(message, {"reason": message})
    key.status, key.reason = Status.QUARANTINED, said
    key.save(update_fields=["status", "reason"])
    _audit(actor, "province_key.distrust", key, reason=said)
    return key


@transaction.atomic
def signing_key_publish() -> bool:
    """This province's certificate-signing key goes to the platform (once per key), with the
    endorsement of the key it replaced, so that other provinces check its certificates; False
    when it was published already."""
    try:
        kid, raw = signing.key_id(), signing.public_raw()
    except signing.SigningKeyMissing:
        return False
    aggregate = f"signing-key:{kid}"
    if OutboxEvent.objects.filter(aggregate=aggregate).exists():
        return False
    endorsement = signing.endorsement()
    outbox_emit(
        "signing_key.published",
        aggregate,
        {
            "province": settings.EARMARK_PROVINCE_CODE,
            "kid": kid,
            "public_key": raw,
            "valid_from": timezone.now(),
            **({"endorsement": endorsement} if endorsement else {}),
        },
    )
    return True
