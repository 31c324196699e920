"""The trust boundary with the national platform, in the API (#30): the key registry, pinning and
distrusting another province's key, and what the platform handed over that was set aside."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.schemas import In
from earmark.exchange.models import HeldEvent
from earmark.exchange.selectors import held_events
from earmark.exchange.services.inbound import held_drop, held_retry
from earmark.quarantine.registry import RegistryKey, province_keys
from earmark.quarantine.services.province_keys import province_key_distrust, province_key_pin

router = Router(tags=["exchange"])


class ProvinceKeyOut(Schema):
    province: str
    kid: str = Field(description="The key id every signed payload carries")
    public_key: str = Field(description="Ed25519 public key: 32 bytes, base64url")
    fingerprint: str = Field(
        description="SHA-256 of the key in groups of four: what administrators read each other"
    )
    status: Literal["pending", "trusted", "quarantined"]
    own: bool
    valid_from: datetime | None
    retired_at: datetime | None = Field(description="Replaced by a later key from then")
    reason: str = Field(description="Why a key is quarantined")
    endorsed_by: str = Field(description="The key id of the key that signed this one")
    pinned_at: datetime | None


class PinIn(In):
    fingerprint: str = Field(
        max_length=100, description="The whole fingerprint, as the other province gave it"
    )


class DistrustIn(In):
    reason: str = Field(max_length=200, description="Why the key is no longer trusted")


class HeldEventOut(Schema):
    id: int
    kind: Literal["key", "certificate", "alert"]
    province: str = Field(description="The province it claims to come from, unverified")
    reference: str = Field(description="The key id or certificate number it names, unverified")
    reason: str
    reason_label: str
    detail: str
    status: Literal["waiting", "taken", "dropped"]
    times_seen: int
    first_seen: datetime
    last_seen: datetime
    body: str = Field(description="The entry as the platform handed it over (JSON text)")


def _key(key: RegistryKey) -> dict[str, Any]:
    return key.__dict__


def _held(held: HeldEvent) -> dict[str, Any]:
    return {
        "id": held.pk,
        "kind": held.kind,
        "province": held.province,
        "reference": held.reference,
        "reason": held.reason,
        "reason_label": held.get_reason_display(),
        "detail": held.detail,
        "status": held.status,
        "times_seen": held.times_seen,
        "first_seen": held.first_seen,
        "last_seen": held.last_seen,
        "body": held.body,
    }


@router.get(
    "/province-keys",
    response=list[ProvinceKeyOut],
    summary="The key registry: each province's certificate-signing keys and their trust",
)
@paginate
def province_keys_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_key(k) for k in province_keys(user=request_user(request))]


@router.post(
    "/province-keys/{kid}/pin",
    response=ProvinceKeyOut,
    summary="Trust another province's key, its fingerprint confirmed out of band",
)
def province_keys_pin(request: HttpRequest, kid: str, payload: PinIn) -> dict[str, Any]:
    user = request_user(request)
    pinned = province_key_pin(actor=user, kid=kid, fingerprint=payload.fingerprint)
    return _key(next(k for k in province_keys(user=user) if k.kid == pinned.kid))


@router.post(
    "/province-keys/{kid}/distrust",
    response=ProvinceKeyOut,
    summary="Stop trusting another province's key (stolen, or never theirs)",
)
def province_keys_distrust(request: HttpRequest, kid: str, payload: DistrustIn) -> dict[str, Any]:
    user = request_user(request)
    key = province_key_distrust(actor=user, kid=kid, reason=payload.reason)
    return _key(next(k for k in province_keys(user=user) if k.kid == key.kid))


@router.get(
    "/held-events",
    response=list[HeldEventOut],
    summary="What the platform handed over that was set aside (province administrator)",
)
@paginate
def held_events_list(
    request: HttpRequest,
    status: Literal["waiting", "taken", "dropped"] | None = Query(None),
) -> list[dict[str, Any]]:
    return [_held(h) for h in held_events(user=request_user(request), status=status)]


@router.post(
    "/held-events/{held_id}/retry",
    response=HeldEventOut,
    summary="Take an entry set aside again: taken if it now holds",
)
def held_events_retry(request: HttpRequest, held_id: int) -> dict[str, Any]:
    return _held(held_retry(actor=request_user(request), held_id=held_id))


@router.post(
    "/held-events/{held_id}/drop",
    response=HeldEventOut,
    summary="Drop an entry set aside: kept on record, not raised again",
)
def held_events_drop(request: HttpRequest, held_id: int) -> dict[str, Any]:
    return _held(held_drop(actor=request_user(request), held_id=held_id))
