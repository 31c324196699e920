"""What this province believes of signatures (#30): the key registry — this province's keys and
every other province's key with its trust — and the check of a QR payload against it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from earmark.accounts.access import user_jurisdiction
from earmark.accounts.models import User
from earmark.core import signing
from earmark.quarantine.models import ForeignCertificate, ProvinceKey


@dataclass(frozen=True)
class RegistryKey:
    """A key as the registry shows it: whose, its fingerprint, and whether it is believed."""

    province: str
    kid: str
    public_key: str
    fingerprint: str
    status: str
    own: bool
    valid_from: datetime | None = None
    retired_at: datetime | None = None
    reason: str = ""
    endorsed_by: str = ""
    pinned_at: datetime | None = None


def own_keys() -> list[RegistryKey]:
    """This province's keys: the one in use, then those it replaced (they still verify)."""
    current = signing.key_id()
    keys = sorted(signing.own_public_keys().items(), key=lambda item: item[0] != current)
    return [
        RegistryKey(
            province=settings.EARMARK_PROVINCE_CODE,
            kid=kid,
            public_key=signing.public_raw(key),
            fingerprint=signing.fingerprint(signing.public_raw(key)),
            status=ProvinceKey.Status.TRUSTED,
            own=True,
        )
        for kid, key in keys
    ]


def province_keys(*, user: User) -> list[RegistryKey]:
    """The key registry: this province's keys, then every other province's key the platform
    published, with its trust, newest first per province."""
    user_jurisdiction(user)
    others = [
        RegistryKey(
            province=k.province,
            kid=k.kid,
            public_key=k.public_key,
            fingerprint=signing.fingerprint(k.public_key),
            status=k.status,
            own=False,
            valid_from=k.valid_from,
            retired_at=k.retired_at,
            reason=k.reason,
            endorsed_by=k.endorsed_by.kid if k.endorsed_by else "",
            pinned_at=k.pinned_at,
        )
        for k in ProvinceKey.objects.select_related("endorsed_by")
    ]
    return [*own_keys(), *others]


def trusted_keys() -> QuerySet[ProvinceKey]:
    """Other provinces' keys this province believes."""
    return ProvinceKey.objects.filter(status=ProvinceKey.Status.TRUSTED)


def payload_verify(payload: str) -> tuple[signing.Verified, str]:
    """A QR payload checked against the key it names — this province's (in use or replaced) or
    another province's trusted key, not used after it was replaced — and the province that
    issued it."""
    fields = signing.payload_fields(payload)
    kid = fields.get("kid")
    key = ProvinceKey.objects.filter(kid=kid).first() if isinstance(kid, str) else None
    if key is None:
        return signing.verify_own(payload), settings.EARMARK_PROVINCE_CODE
    if not key.trusted:
        return signing.Verified(False, fields, "key not trusted"), key.province
    verified = signing.verify_raw(payload, key.public_key)
    signed_on = str(fields.get("i", ""))
    if (
        verified.ok
        and key.retired_at
        and signed_on > timezone.localdate(key.retired_at).isoformat()
    ):
        return signing.Verified(False, fields, "signed after its key was replaced"), key.province
    return verified, key.province


def foreign_certificate_get(*, number: str) -> ForeignCertificate | None:
    """Another province's certificate by its number (which begins with its province's code)."""
    return ForeignCertificate.objects.filter(number=number).first()
