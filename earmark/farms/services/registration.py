"""Registering premises, one by one or many at once, and what their base information lacks."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit_many
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, invalid
from earmark.core.sequences import sequence_take
from earmark.core.species import species_known
from earmark.core.validators import (
    CONTROL_PROBLEM,
    MOBILE_PROBLEM,
    has_control_characters,
    is_id_card,
    is_mobile,
    normalize_id_card,
)
from earmark.farms.completeness import base_information_missing
from earmark.farms.errors import PREMISES_CODES_EXHAUSTED
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
        errors["phone"] = str(MOBILE_PROBLEM)
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
            errors[field] = str(CONTROL_PROBLEM)
        elif longest and len(value.strip()) > longest:
            errors[field] = _("At most %(n)d characters.") % {"n": longest}
    for species, quantity in (data.stock or {}).items():
        if not species_known(species):
            errors["stock"] = _("Unknown species: %(species)s.") % {"species": species}
        elif quantity not in (None, "") and not _is_count(quantity):
            errors[f"stock.{species}"] = _("Enter a whole number of head, zero or more.")
    return errors


def _within(user: User, code: str) -> bool:

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


def optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(str(value))


def optional_decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else _decimal(value)


@transaction.atomic
def premises_register(*, actor: User | None, data: PremisesData) -> Premises:
    """Register premises with a new code; stock given is recorded as initial ledger rows."""
    if actor is not None:
        require_role(actor, *EDITORS)
    errors = premises_validate(data, user=actor)
    if errors:
        raise invalid(_("The premises could not be saved."), errors)
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
            scale=optional_int(row.scale),
            latitude=optional_decimal(row.latitude),
            longitude=optional_decimal(row.longitude),
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
            amount = optional_int(quantity) or 0
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
        payload["stock"] = {k: optional_int(v) or 0 for k, v in stock.items()}
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
            raise BusinessError(code=PREMISES_CODES_EXHAUSTED)
    codes = []
    for county in counties:
        codes.append(f"{county}{next_number[county]:06d}")
        next_number[county] += 1
    return codes


def _initial_status(row: PremisesData) -> str:
    missing = base_information_missing(
        name=row.name,
        owner_name=row.owner_name,
        phone=row.phone,
        address=row.address,
        keeps_animals=row.kind in (Premises.Kind.FARM, Premises.Kind.HOUSEHOLD),
        species=bool(row.stock),
    )
    return Premises.Status.INCOMPLETE if missing else Premises.Status.TO_VERIFY
