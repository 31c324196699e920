"""Other provinces' certificates (#17, #30): the national platform hands every province the type A
certificates issued elsewhere for animals coming to it. They are kept here so that a
checkpoint verifies them offline against the issuer's key and the destination receives them.

Only what the issuing province signed is believed: species, quantity, tags, origin premises,
destination region, dates come from the QR payload; purpose and the origin and destination as
words from the signed ``details``; a revocation only as the issuer's signed ``revocation``. An
unsigned field that disagrees, a key not trusted here, a copy that contradicts the one already
kept: each is refused with its reason (and set aside by the exchange), never stored. A stored
certificate is never overwritten."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.inbound import (
    MAX_SIGNED,
    Reason,
    Refusal,
    Taken,
    day,
    digits,
    moment,
    take_each,
    whole,
    words,
)
from earmark.core.species import species_known
from earmark.eartags.ranges import normalise
from earmark.quarantine.models import Declaration, ForeignCertificate, ProvinceKey
from earmark.regions.models import Region

# A certificate carries at most this many animals and this many tag ranges; validity is at
# most this many days (the national maximum is 5).
MAX_QUANTITY = 100_000
MAX_RANGES = 5000
MAX_VALIDITY_DAYS = 30
_TAG = re.compile(r"\d{15}")


@dataclass(frozen=True)
class Signed:
    """What a certificate's issuer signed, read and bounded."""

    number: str
    province: str
    species: str
    quantity: int
    origin: str
    destination: str
    destination_region: str
    purpose: str
    valid_from: date
    valid_until: date
    tags: list[list[int]]


def foreign_certificates_store(entries: Any) -> Taken:
    """Take the type A certificates of other provinces for this one, as the platform hands
    them over (``certificate.issued`` payloads with, once revoked, the issuer's revocation)."""
    return take_each("certificate", entries, _certificate_take)


def signer_of(payload: str, province: str = "") -> ProvinceKey:
    """The trusted key that signed ``payload`` (of ``province`` when given), or a refusal."""
    if len(payload) > MAX_SIGNED:
        raise Refusal(Reason.OUT_OF_BOUNDS, "payload")
    fields = signing.payload_fields(payload)
    kid, number = fields.get("kid"), fields.get("n", fields.get("c"))
    # What it names, unverified: for the administrator to recognise it by.
    named: dict[str, Any] = {"reference": str(number)[:20] if number else "", "province": province}
    key = ProvinceKey.objects.filter(kid=kid).first() if isinstance(kid, str) else None
    if key is None or not key.trusted or (province and key.province != province):
        raise Refusal(Reason.UNTRUSTED_KEY, str(kid)[:32], **named)
    verified = signing.verify_raw(payload, key.public_key)
    if not verified.ok:
        raise Refusal(Reason.BAD_SIGNATURE, verified.reason, **named | {"province": key.province})
    return key


def _certificate_take(entry: dict[str, Any], _result: Taken) -> bool:
    payload = entry.get("payload")
    if not isinstance(payload, str):
        raise Refusal(Reason.UNREADABLE, "payload")
    key = signer_of(payload)
    signed = _signed(signing.payload_fields(payload), key, entry)
    reference: dict[str, Any] = {"reference": signed.number, "province": key.province}
    _unsigned_agree(entry, signed, reference)
    revoked = _revocation(entry, signed, key)
    known = (
        ForeignCertificate.objects.select_for_update()
        .filter(province=key.province, number=signed.number)
        .first()
    )
    if known is not None and known.payload != payload:
        raise Refusal(Reason.CONFLICT, _("another copy is kept"), alert=True, **reference)
    if known is not None:
        return _revoke(known, revoked)
    stored = ForeignCertificate.objects.create(
        number=signed.number,
        province=key.province,
        payload=payload,
        details=entry.get("details") or "",
        key=key,
        species=signed.species,
        quantity=signed.quantity,
        purpose=signed.purpose,
        origin=signed.origin,
        destination=signed.destination,
        destination_region=signed.destination_region,
        valid_from=signed.valid_from,
        valid_until=signed.valid_until,
        tags=signed.tags,
    )
    audit_record(
        actor=None,
        action="foreign_certificate.store",
        obj=stored,
        region_code=signed.destination[:9] if signed.destination.isdigit() else "",
        details={"province": key.province, "number": stored.number, "kid": key.kid},
    )
    _revoke(stored, revoked)
    return True


def _signed(fields: dict[str, Any], key: ProvinceKey, entry: dict[str, Any]) -> Signed:
    """The certificate's signed fields, each typed and bounded, or a refusal naming one."""
    own = settings.EARMARK_PROVINCE_CODE
    number = digits(fields.get("n"), "n", (12,))
    # Province (2) + type digit (1 = A) + year + sequence: the issuer's own type A numbers.
    if number[:2] != key.province[:2] or number[2] != "1" or fields.get("k") != "A":
        raise Refusal(Reason.OUT_OF_BOUNDS, "n", reference=number, province=key.province)
    species = fields.get("sp")
    if not isinstance(species, str) or not species_known(species):
        raise Refusal(Reason.UNKNOWN_SPECIES, str(species)[:20], reference=number)
    destination = digits(fields.get("d"), "d", (6, 9))
    if destination[:2] != own[:2]:
        raise Refusal(Reason.NOT_FOR_US, destination, reference=number)
    valid_from, valid_until = day(fields.get("i"), "i"), day(fields.get("u"), "u")
    if not 0 <= (valid_until - valid_from).days <= MAX_VALIDITY_DAYS:
        raise Refusal(Reason.OUT_OF_BOUNDS, "u", reference=number)
    if key.retired_at is not None and valid_from > timezone.localdate(key.retired_at):
        raise Refusal(Reason.RETIRED_KEY, key.kid, reference=number, province=key.province)
    origin = digits(fields.get("o"), "o", (12,))
    words = _details(entry.get("details"), key, number)
    return Signed(
        number=number,
        province=key.province,
        species=species,
        quantity=whole(fields.get("q"), "q", 1, MAX_QUANTITY),
        origin=words.get("on") or origin,
        destination=words.get("dn") or destination,
        destination_region=destination_region_of(destination, words.get("dn", "")),
        purpose=words.get("pu", ""),
        valid_from=valid_from,
        valid_until=valid_until,
        tags=_tags(fields, entry),
    )


def destination_region_of(code: str, address: str) -> str:
    """Where in this province the animals go: the county or township signed, else the one
    county the signed address names (by its city and county, or its county alone when no
    other county bears that name); "" when it cannot be told."""
    if len(code) > 6 or not code.endswith("0000"):
        return code
    counties = Region.objects.filter(
        level=Region.Level.COUNTY, code__startswith=code[:2]
    ).values_list("code", "name", "parent__name")
    by_city = [c for c, name, city in counties if f"{city}{name}" in address]
    if len(by_city) == 1:
        return by_city[0]
    named = [c for c, name, _city in counties if name in address]
    return named[0] if len(named) == 1 else ""


def _details(details: Any, key: ProvinceKey, number: str) -> dict[str, str]:
    """Purpose and the origin and destination as words, as the issuer signed them."""
    if details is None or details == "":
        return {}
    if not isinstance(details, str):
        raise Refusal(Reason.UNREADABLE, "details", reference=number)
    signer = signer_of(details, key.province)
    fields = signing.payload_fields(details)
    if signer.pk != key.pk or fields.get("n") != number:
        raise Refusal(Reason.UNSIGNED_DISAGREES, "details", reference=number)
    purpose = fields.get("pu", "")
    if purpose not in Declaration.Purpose.values:
        raise Refusal(Reason.OUT_OF_BOUNDS, "pu", reference=number)
    return {
        "pu": purpose,
        "on": words(fields.get("on"), 200),
        "dn": words(fields.get("dn"), 200),
    }


def _tags(fields: dict[str, Any], entry: dict[str, Any]) -> list[list[int]]:
    """The tags as the payload signed them (``t``), or as the platform handed them over when
    they match the signed digest (``td``)."""
    if isinstance(fields.get("t"), str):
        tokens = fields["t"].split(",") if fields["t"] else []
        if len(tokens) > MAX_RANGES:
            raise Refusal(Reason.OUT_OF_BOUNDS, "t")
        pairs = [_pair(token.split("-")) for token in tokens]
        return [[a, b] for a, b in normalise(pairs)]
    if not isinstance(fields.get("td"), str):
        raise Refusal(Reason.OUT_OF_BOUNDS, "t")
    given = entry.get("tags")
    if not isinstance(given, list) or len(given) > MAX_RANGES:
        raise Refusal(Reason.OUT_OF_BOUNDS, "tags")
    pairs = [_pair(pair if isinstance(pair, list) else []) for pair in given]
    if signing.ranges_digest(pairs) != fields["td"]:
        raise Refusal(Reason.UNSIGNED_DISAGREES, "tags")
    return [[a, b] for a, b in normalise(pairs)]


def _pair(parts: list[Any]) -> tuple[int, int]:
    """A range of tag numbers, each given as 15 digits (text) or as an integer."""
    numbers = [
        int(p) if isinstance(p, str) and _TAG.fullmatch(p) else p
        for p in (parts * 2 if len(parts) == 1 else parts)
    ]
    if len(numbers) != 2 or not all(
        isinstance(n, int) and not isinstance(n, bool) and 0 < n < 10**15 for n in numbers
    ):
        raise Refusal(Reason.OUT_OF_BOUNDS, "t")
    first, last = numbers
    if first > last:
        raise Refusal(Reason.OUT_OF_BOUNDS, "t")
    return first, last


def _unsigned_agree(entry: dict[str, Any], signed: Signed, reference: dict[str, Any]) -> None:
    """What the platform says beside the signature must say the same, where it says it."""
    said: dict[str, object] = {
        "number": signed.number,
        "province": signed.province,
        "kind": "A",
        "species": signed.species,
        "quantity": signed.quantity,
        "valid_from": signed.valid_from.isoformat(),
        "valid_until": signed.valid_until.isoformat(),
    }
    if signed.purpose:
        said |= {
            "purpose": signed.purpose,
            "origin": signed.origin,
            "destination": signed.destination,
        }
    for name, value in said.items():
        if name in entry and entry[name] != value:
            raise Refusal(Reason.UNSIGNED_DISAGREES, name, **reference)
    province = entry.get("destination_province")
    if province is not None and province != settings.EARMARK_PROVINCE_CODE:
        raise Refusal(Reason.UNSIGNED_DISAGREES, "destination_province", **reference)
    tags = entry.get("tags")
    if "t" in signing.payload_fields(str(entry["payload"])) and tags is not None:
        if not isinstance(tags, list) or len(tags) > MAX_RANGES:
            raise Refusal(Reason.UNSIGNED_DISAGREES, "tags", **reference)
        given = [_pair(p if isinstance(p, list) else []) for p in tags]
        if [list(r) for r in normalise(given)] != signed.tags:
            raise Refusal(Reason.UNSIGNED_DISAGREES, "tags", **reference)


@dataclass(frozen=True)
class Revoked:
    at: datetime
    reason: str
    signed: str


def _revocation(entry: dict[str, Any], signed: Signed, key: ProvinceKey) -> Revoked | None:
    """The issuer's revocation, believed only as it signed it (a key of its own province)."""
    revocation = entry.get("revocation")
    if revocation is None or revocation == "":
        if entry.get("revoked_at"):
            raise Refusal(Reason.UNSIGNED_DISAGREES, "revoked_at", reference=signed.number)
        return None
    if not isinstance(revocation, str):
        raise Refusal(Reason.UNREADABLE, "revocation", reference=signed.number)
    signer_of(revocation, key.province)
    fields = signing.payload_fields(revocation)
    if fields.get("n") != signed.number or fields.get("p") != key.province:
        raise Refusal(Reason.UNSIGNED_DISAGREES, "revocation", reference=signed.number)
    at = moment(fields.get("ra"), "ra")
    return Revoked(at, words(fields.get("rv"), 200), revocation)


def _revoke(certificate: ForeignCertificate, revoked: Revoked | None) -> bool:
    """A revocation, once known, stays."""
    if revoked is None or certificate.revoked_at is not None:
        return False
    certificate.revoked_at, certificate.revoked_reason = revoked.at, revoked.reason
    certificate.revocation = revoked.signed
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revocation"])
    audit_record(
        actor=None,
        action="foreign_certificate.revoked",
        obj=certificate,
        details={"province": certificate.province, "number": certificate.number},
    )
    return True
