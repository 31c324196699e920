"""Registering, changing and verifying premises; their QR token and PIN."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError
from earmark.core.sequences import sequence_take
from earmark.core.species import Species
from earmark.core.validators import has_control_characters, is_id_card, is_mobile, normalize_id_card
from earmark.exchange.outbox import outbox_emit, outbox_emit_many
from earmark.farms.models import Premises, Stock, StockChange
from earmark.regions.models import Region

# Roles that register and edit premises: the township station collects, the county checks.
EDITORS = (Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER)
# A change to any of these sends a verified premises back to the county for checking.
KEY_FIELDS = ("owner_name", "phone", "species", "township")
EDITABLE_FIELDS = (
    "kind",
    "name",
    "owner_name",
    "phone",
    "id_card",
    "township",
    "address",
    "scale",
    "latitude",
    "longitude",
    "species",
    "external_id",
)


@dataclass(frozen=True)
class PremisesData:
    """Base information as typed in a form, a request or a spreadsheet row, not yet checked."""

    kind: str
    name: str
    township: str
    owner_name: str = ""
    phone: str = ""
    id_card: str = ""
    address: str = ""
    scale: Any = None
    latitude: Any = None
    longitude: Any = None
    stock: dict[str, Any] | None = None
    external_id: str = ""


def premises_validate(
    data: PremisesData, *, user: User | None, townships: dict[str, Region] | None = None
) -> dict[str, str]:
    """Every problem of ``data``, by field, in the user's language; empty when all is well.

    Missing owner, phone, address or stock do not stop registration: the premises is then
    saved as incomplete. Wrong values always do. ``townships`` (code → region) spares a query
    per row in imports.
    """
    errors: dict[str, str] = {}
    if data.kind not in Premises.Kind.values:
        errors["kind"] = _("Choose the kind of premises.")
    if not data.name.strip():
        errors["name"] = _("The name is required.")
    if townships is not None:
        township = townships.get(data.township)
    else:
        township = Region.objects.filter(code=data.township, level=Region.Level.TOWNSHIP).first()
    if township is None:
        errors["township"] = _("Unknown township: %(code)s.") % {"code": data.township}
    elif user is not None and not _within(user, township.code):
        errors["township"] = _("Township %(name)s is outside your jurisdiction.") % {
            "name": township.name
        }
    if data.phone and not is_mobile(data.phone.strip()):
        errors["phone"] = _("Enter an 11-digit mainland mobile number.")
    if data.id_card and not is_id_card(data.id_card):
        errors["id_card"] = _("The ID-card number is not valid (18 characters, check digit).")
    for field in ("scale",):
        value = getattr(data, field)
        if value not in (None, "") and not _is_count(value):
            errors[field] = _("Enter a whole number of head.")
    for field, limit in (("latitude", 90), ("longitude", 180)):
        value = getattr(data, field)
        if value not in (None, ""):
            number = _decimal(value)
            if number is None or abs(number) > limit:
                errors[field] = _("Enter a coordinate in decimal degrees.")
    for field in ("name", "owner_name", "address", "external_id"):
        value = str(getattr(data, field) or "")
        longest = getattr(Premises._meta.get_field(field), "max_length", None) or 0
        if has_control_characters(value):
            errors[field] = _("Control characters are not allowed.")
        elif longest and len(value.strip()) > longest:
            errors[field] = _("At most %(n)d characters.") % {"n": longest}
    for species, quantity in (data.stock or {}).items():
        if species not in Species.values:
            errors["stock"] = _("Unknown species: %(species)s.") % {"species": species}
        elif quantity not in (None, "") and not _is_count(quantity):
            errors[f"stock.{species}"] = _("Enter a whole number of head, zero or more.")
    return errors


def _within(user: User, code: str) -> bool:
    from earmark.accounts.access import can_read_region

    return can_read_region(user, code)


# No premises keeps more animals (and the columns hold no more).
MAX_COUNT = 10_000_000


def _is_count(value: Any) -> bool:
    """A whole number of animals, 0 to MAX_COUNT."""
    try:
        number = int(str(value))
        return 0 <= number <= MAX_COUNT and float(str(value)) == number
    except (ValueError, OverflowError):
        return False


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(str(value))


def _optional_decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else _decimal(value)


@transaction.atomic
def premises_register(*, actor: User | None, data: PremisesData) -> Premises:
    """Register premises with a new code; stock given is recorded as initial ledger rows."""
    if actor is not None:
        require_role(actor, *EDITORS)
    errors = premises_validate(data, user=actor)
    if errors:
        raise BusinessError(_("The premises could not be saved."), code="invalid", detail=errors)
    townships = {data.township: Region.objects.get(code=data.township)}
    premises = premises_create_many(actor=actor, rows=[data], townships=townships)[0]
    audit_record(
        actor=actor,
        action="premises.register",
        obj=premises,
        region_code=premises.township_id,
        details={"code": premises.code, "name": premises.name, "status": premises.status},
    )
    return premises


def premises_create_many(
    *, actor: User | None, rows: list[PremisesData], townships: dict[str, Region]
) -> list[Premises]:
    """Create already-checked premises in bulk, inside the caller's transaction: codes, stock
    and initial ledger rows. Registration and imports both come through here."""
    codes = _allocate_codes([townships[row.township].code[:6] for row in rows])
    created = [
        Premises(
            code=code,
            kind=row.kind,
            name=row.name.strip(),
            owner_name=row.owner_name.strip(),
            phone=row.phone.strip(),
            id_card=normalize_id_card(row.id_card) if row.id_card else "",
            township=townships[row.township],
            county_code=townships[row.township].code[:6],
            address=row.address.strip(),
            scale=_optional_int(row.scale),
            latitude=_optional_decimal(row.latitude),
            longitude=_optional_decimal(row.longitude),
            external_id=row.external_id.strip(),
            qr_token=secrets.token_urlsafe(24),
            status=_initial_status(row),
        )
        for row, code in zip(rows, codes, strict=True)
    ]
    Premises.objects.bulk_create(created, batch_size=1000)
    stock: list[Stock] = []
    ledger: list[StockChange] = []
    for item, row in zip(created, rows, strict=True):
        for species, quantity in sorted((row.stock or {}).items()):
            amount = _optional_int(quantity) or 0
            stock.append(Stock(premises=item, species=species, quantity=amount))
            if amount:
                ledger.append(
                    StockChange(
                        premises=item,
                        species=species,
                        delta=amount,
                        balance=amount,
                        reason=StockChange.Reason.INITIAL,
                        actor=actor,
                    )
                )
    Stock.objects.bulk_create(stock, batch_size=1000)
    StockChange.objects.bulk_create(ledger, batch_size=1000)
    outbox_emit_many(
        [
            ("premises.registered", f"premises:{item.code}", premises_payload(item, row.stock))
            for item, row in zip(created, rows, strict=True)
        ]
    )
    return created


def premises_payload(premises: Premises, stock: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the national platform is told about premises (never the QR token or PIN)."""
    payload: dict[str, Any] = {
        "code": premises.code,
        "kind": premises.kind,
        "name": premises.name,
        "owner_name": premises.owner_name,
        "phone": premises.phone,
        "township_code": premises.township_id,
        "county_code": premises.county_code,
        "address": premises.address,
        "scale": premises.scale,
        "latitude": premises.latitude,
        "longitude": premises.longitude,
        "status": premises.status,
        "external_id": premises.external_id,
    }
    if stock is not None:
        payload["stock"] = {k: _optional_int(v) or 0 for k, v in stock.items()}
    return payload


def _allocate_codes(counties: list[str]) -> list[str]:
    """One new code per entry, in order; a county's numbers are never given out twice."""
    needed: dict[str, int] = {}
    for county in counties:
        needed[county] = needed.get(county, 0) + 1
    next_number: dict[str, int] = {}
    for county in sorted(needed):
        next_number[county] = sequence_take(f"premises:{county}", needed[county])
        if next_number[county] + needed[county] - 1 > 999_999:
            raise BusinessError(_("The county has used up its premises codes."), code="exhausted")
    codes = []
    for county in counties:
        codes.append(f"{county}{next_number[county]:06d}")
        next_number[county] += 1
    return codes


def _missing(
    *, name: str, owner_name: str, phone: str, address: str, keeps_animals: bool, species: bool
) -> list[str]:
    """The base information still lacking (Jilin plan §2(1)), in a fixed order."""
    missing = []
    if not name.strip():
        missing.append("name")
    if not owner_name.strip():
        missing.append("owner_name")
    if not phone or not is_mobile(phone.strip()):
        missing.append("phone")
    if not address.strip():
        missing.append("address")
    if keeps_animals and not species:
        missing.append("species")
    return missing


def _initial_status(row: PremisesData) -> str:
    missing = _missing(
        name=row.name,
        owner_name=row.owner_name,
        phone=row.phone,
        address=row.address,
        keeps_animals=row.kind in (Premises.Kind.FARM, Premises.Kind.HOUSEHOLD),
        species=bool(row.stock),
    )
    return Premises.Status.INCOMPLETE if missing else Premises.Status.TO_VERIFY


def missing_fields(premises: Premises) -> list[str]:
    """The base information a premises still lacks."""
    return _missing(
        name=premises.name,
        owner_name=premises.owner_name,
        phone=premises.phone,
        address=premises.address,
        keeps_animals=premises.keeps_animals,
        species=premises.stock.exists(),
    )


def _status_after(premises: Premises, *, current: str, key_change: bool) -> str:
    if missing_fields(premises):
        return Premises.Status.INCOMPLETE
    if current == Premises.Status.VERIFIED and not key_change:
        return Premises.Status.VERIFIED
    return Premises.Status.TO_VERIFY


@transaction.atomic
def premises_update(*, actor: User | None, premises: Premises, changes: dict[str, Any]) -> Premises:
    """Change base information; a key field sends a verified premises back to "to verify".

    ``changes`` holds any of EDITABLE_FIELDS; ``species`` is the full list of species kept
    (stock itself changes only through the ledger).
    """
    if actor is not None:
        require_role(actor, *EDITORS)
        require_region(actor, premises.township_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise BusinessError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            code="invalid",
        )
    kept = set(premises.stock.values_list("species", flat=True))
    species = set(changes.get("species", kept))
    merged = PremisesData(
        kind=changes.get("kind", premises.kind),
        name=changes.get("name", premises.name),
        township=changes.get("township", premises.township_id),
        owner_name=changes.get("owner_name", premises.owner_name),
        phone=changes.get("phone", premises.phone),
        id_card=changes.get("id_card", premises.id_card),
        address=changes.get("address", premises.address),
        scale=changes.get("scale", premises.scale),
        latitude=changes.get("latitude", premises.latitude),
        longitude=changes.get("longitude", premises.longitude),
        stock={s: None for s in species},
        external_id=changes.get("external_id", premises.external_id),
    )
    errors = premises_validate(merged, user=actor)
    removed = kept - species
    held = Stock.objects.filter(premises=premises, species__in=removed, quantity__gt=0)
    if held.exists():
        errors["species"] = _("Species with animals on hand cannot be removed: %(species)s.") % {
            "species": ", ".join(
                str(Species(s).label) for s in held.values_list("species", flat=True)
            )
        }
    if errors:
        raise BusinessError(_("The premises could not be saved."), code="invalid", detail=errors)
    before = _key_values(premises, kept)
    township = Region.objects.get(code=merged.township)
    premises.kind = merged.kind
    premises.name = merged.name.strip()
    premises.owner_name = merged.owner_name.strip()
    premises.phone = merged.phone.strip()
    premises.id_card = normalize_id_card(merged.id_card) if merged.id_card else ""
    premises.township = township
    premises.county_code = township.code[:6]
    premises.address = merged.address.strip()
    premises.scale = _optional_int(merged.scale)
    premises.latitude = _optional_decimal(merged.latitude)
    premises.longitude = _optional_decimal(merged.longitude)
    premises.external_id = merged.external_id.strip()
    Stock.objects.filter(premises=premises, species__in=removed).delete()
    for added in sorted(species - kept):
        Stock.objects.create(premises=premises, species=added, quantity=0)
    after = _key_values(premises, species)
    changed_keys = [field for field in KEY_FIELDS if before[field] != after[field]]
    previous_status = premises.status
    premises.status = _status_after(
        premises, current=previous_status, key_change=bool(changed_keys)
    )
    if premises.status != Premises.Status.VERIFIED:
        premises.verified_by = None
        premises.verified_at = None
    premises.save()
    outbox_emit(
        "premises.changed",
        f"premises:{premises.code}",
        {**premises_payload(premises), "changed": sorted(changes)},
    )
    audit_record(
        actor=actor,
        action="premises.update",
        obj=premises,
        region_code=premises.township_id,
        details={
            "changed": sorted(changes),
            "key_fields_changed": changed_keys,
            "status": [previous_status, premises.status],
        },
    )
    return premises


def _key_values(premises: Premises, species: set[str]) -> dict[str, Any]:
    return {
        "owner_name": premises.owner_name,
        "phone": premises.phone,
        "species": sorted(species),
        "township": premises.township_id,
    }


@transaction.atomic
def premises_verify(*, actor: User, premises: Premises) -> Premises:
    """A county officer confirms the base information of premises in its county."""
    require_role(actor, Role.COUNTY_OFFICER)
    require_region(actor, premises.township_id)
    premises = Premises.objects.select_for_update().get(pk=premises.pk)
    if premises.status == Premises.Status.VERIFIED:
        raise BusinessError(_("The premises is already verified."), code="already_verified")
    missing = missing_fields(premises)
    if missing:
        raise BusinessError(
            _("The base information is incomplete: %(fields)s.")
            % {"fields": "、".join(field_label(f) for f in missing)},
            code="incomplete",
            detail={"missing": missing},
        )
    premises.status = Premises.Status.VERIFIED
    premises.verified_by = actor
    premises.verified_at = timezone.now()
    premises.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    outbox_emit("premises.verified", f"premises:{premises.code}", premises_payload(premises))
    audit_record(
        actor=actor, action="premises.verify", obj=premises, region_code=premises.township_id
    )
    return premises


def field_label(field: str) -> str:
    return {
        "name": _("name"),
        "owner_name": _("owner"),
        "phone": _("mobile phone"),
        "address": _("address"),
        "species": _("species and stock"),
    }.get(field, field)


# --- QR token and PIN ---------------------------------------------------------------------

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
