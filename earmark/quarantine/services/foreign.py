"""Other provinces' certificates (#17): the national platform publishes each province's
certificate-signing key and hands every province the type A certificates issued elsewhere for
animals coming to it. They are kept here — the key registry and the foreign certificates — so
that a checkpoint verifies them offline against the issuer's key and online against what the
platform handed over. Only what verifies against a published key is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earmark.audit.models import OutboxEvent
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.validators import one_line
from earmark.quarantine.models import ForeignCertificate, ProvinceKey


@dataclass
class Stored:
    stored: int = 0
    refused: int = 0


def _moment(text: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@transaction.atomic
def province_keys_store(keys: list[dict[str, Any]]) -> Stored:
    """Keep the keys the platform publishes (province, kid, public_key, valid_from); a key id
    already known keeps its key — a published key never changes."""
    result = Stored()
    known = set(ProvinceKey.objects.values_list("kid", flat=True))
    for entry in keys:
        province, kid, public = (str(entry.get(k, "")) for k in ("province", "kid", "public_key"))
        since = _moment(entry.get("valid_from"))
        if not (len(province) == 6 and province.isdigit() and 0 < len(kid) <= 32) or not (
            since and len(public) <= 64 and signing.is_public_raw(public)
        ):
            result.refused += 1
            continue
        if kid in known:
            continue
        stored = ProvinceKey.objects.create(
            province=province, kid=kid, public_key=public, valid_from=since
        )
        # What the platform handed over is kept in the audit chain with the row it made.
        audit_record(
            actor=None,
            action="province_key.store",
            obj=stored,
            details={"province": province, "kid": kid, "fingerprint": public[:16]},
        )
        known.add(kid)
        result.stored += 1
    return result


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


@transaction.atomic
def foreign_certificates_store(certificates: list[dict[str, Any]]) -> Stored:
    """Keep the type A certificates of other provinces for this one, as the platform hands
    them over (the ``certificate.issued`` payloads), each verified against its issuer's key,
    with the issuer's revocation (``revoked_at``, ``revoked_reason``) where it revoked one."""
    own = settings.EARMARK_PROVINCE_CODE
    keys = {k.kid: k for k in ProvinceKey.objects.all()}
    result = Stored()
    for entry in certificates:
        payload = str(entry.get("payload", ""))
        key = keys.get(str(signing.payload_fields(payload).get("kid", "")))
        verified = signing.verify_raw(payload, key.public_key) if key else None
        fields = verified.fields if verified and verified.ok else {}
        valid_from, valid_until = _day(fields.get("i")), _day(fields.get("u"))
        if (
            key is None
            or not fields
            or fields.get("k") != "A"
            or key.province != entry.get("province")
            or key.province == own
            or not str(fields.get("d", "")).startswith(own[:2])
            or valid_from is None
            or valid_until is None
        ):
            result.refused += 1
            continue
        revoked_at = _moment(entry.get("revoked_at")) if entry.get("revoked_at") else None
        revocation = (
            {
                "revoked_at": revoked_at,
                "revoked_reason": one_line(entry.get("revoked_reason"), 200),
            }
            if revoked_at
            else {}
        )
        stored, created = ForeignCertificate.objects.update_or_create(
            number=str(fields["n"])[:20],
            defaults={
                # A revocation, once reported, stays: a later answer without it changes nothing.
                **revocation,
                "province": key.province,
                "payload": payload,
                "species": one_line(fields.get("sp"), 10),
                "quantity": int(fields.get("q", 0) or 0),
                "purpose": one_line(entry.get("purpose"), 10),
                "origin": one_line(entry.get("origin"), 200),
                "destination": one_line(entry.get("destination"), 200),
                "valid_from": valid_from,
                "valid_until": valid_until,
                "tags": entry.get("tags") or [],
            },
        )
        audit_record(
            actor=None,
            action="foreign_certificate.store" if created else "foreign_certificate.update",
            obj=stored,
            region_code=str(fields.get("d", ""))[:9],
            details={
                "province": key.province,
                "number": stored.number,
                "revoked": bool(revoked_at),
            },
        )
        result.stored += 1
    return result


@transaction.atomic
def signing_key_publish() -> bool:
    """This province's certificate-signing key goes to the platform (once per key), so that
    other provinces check its certificates; False when it was published already."""
    try:
        kid, raw = signing.key_id(), signing.public_raw()
    except signing.SigningKeyMissing:
        return False
    aggregate = f"signing-key:{kid}"
    if OutboxEvent.objects.filter(aggregate=aggregate).exists():
        return False
    outbox_emit(
        "signing_key.published",
        aggregate,
        {
            "province": settings.EARMARK_PROVINCE_CODE,
            "kid": kid,
            "public_key": raw,
            "valid_from": timezone.now(),
        },
    )
    return True
