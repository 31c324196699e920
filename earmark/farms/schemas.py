"""What the farms API takes and answers: its request and response schemas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from earmark.accounts.access import can_read_region
from earmark.core.schemas import Day, In, Moment, RegionCode, SpeciesCode, one_of
from earmark.farms import qr, selectors
from earmark.farms.models import (
    BaseInfoSync,
    Checkpoint,
    Dealer,
    FarmToken,
    Premises,
    Restriction,
    StockChange,
    Vehicle,
)


class StockOut(Schema):
    species: str
    quantity: int


class PremisesOut(Schema):
    code: str
    kind: str
    name: str
    owner_name: str
    phone: str
    id_card_masked: str
    township_code: str
    township_name: str
    county_code: str
    address: str
    scale: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    external_id: str
    status: str
    verified_at: datetime | None
    stock: list[StockOut]

    @staticmethod
    def resolve_township_code(premises: Premises) -> str:
        return premises.township_id

    @staticmethod
    def resolve_township_name(premises: Premises) -> str:
        return premises.township.name

    @staticmethod
    def resolve_stock(premises: Premises) -> list[dict[str, Any]]:
        return [{"species": s.species, "quantity": s.quantity} for s in premises.stock.all()]


class PremisesDetailOut(PremisesOut):
    farm_page_url: str
    can_declare: bool
    cannot_declare_because: list[str]

    @staticmethod
    def resolve_farm_page_url(premises: Premises) -> str:
        return qr.farm_page_url(premises)

    @staticmethod
    def resolve_can_declare(premises: Premises) -> bool:
        return selectors.premises_can_declare(premises=premises).ok

    @staticmethod
    def resolve_cannot_declare_because(premises: Premises) -> list[str]:
        return selectors.premises_can_declare(premises=premises).reasons


class StockIn(In):
    species: str
    quantity: int


class PremisesIn(In):
    keeps_in = Premises
    kind: str = one_of(Premises.Kind.values)
    name: str
    township: str
    owner_name: str = ""
    phone: str = ""
    id_card: str = ""
    address: str = ""
    scale: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    stock: list[StockIn] | dict[str, int] = Field(
        [],
        validate_default=True,
        description=(
            'animals on hand per species, as answered: `[{"species": "pig", '
            '"quantity": 30}]` (the older `{"pig": 30}` is accepted too)'
        ),
    )
    external_id: str = ""

    @field_validator("stock", mode="after")
    @classmethod
    def _stock_by_species(cls, value: list[StockIn] | dict[str, int]) -> dict[str, int]:
        if isinstance(value, dict):
            return value
        by_species: dict[str, int] = {}
        for line in value:
            if line.species in by_species:
                raise ValueError(_("%(code)s is listed twice.") % {"code": line.species})
            by_species[line.species] = line.quantity
        return by_species


class PremisesPatch(In):
    """Only the fields given change; a field given as null is left as it is."""

    keeps_in = Premises

    kind: str | None = None
    name: str | None = None
    township: str | None = None
    owner_name: str | None = None
    phone: str | None = None
    id_card: str | None = None
    address: str | None = None
    scale: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    species: list[str] | None = None
    external_id: str | None = None


class StockChangeIn(In):
    keeps_in = StockChange
    species: SpeciesCode
    delta: int
    reason: StockChange.Reason
    note: str = ""


class StockChangeOut(Schema):
    id: int
    species: str
    delta: int
    balance: int
    reason: str
    actor: str | None
    document_type: str
    document_id: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_actor(change: StockChange) -> str | None:
        return change.actor.username if change.actor else None


class StockSummary(Schema):
    code: str
    stock: list[StockOut]
    total: int


class PinOut(Schema):
    pin: str


class ImportOut(Schema):
    count: int
    codes: list[str]


class SyncOut(Schema):
    id: int
    county_code: str
    file_name: str
    created_at: datetime
    applied_at: datetime | None
    diff: dict[str, Any]

    @staticmethod
    def resolve_county_code(sync: BaseInfoSync) -> str:
        return sync.county_id


class FarmTokenIn(In):
    keeps_in = FarmToken
    qr_token: str = Field(description="the token of the farm's QR code: the end of its address")
    pin: str = Field(max_length=20, description="the farm's 6-digit PIN")
    name: str = Field(description="the device the token is for, e.g. 王大山的手机")


class FarmTokenOut(Schema):
    token: str = Field(description="the token, shown only in this answer")
    prefix: str
    name: str
    premises: str
    created_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_token(token: FarmToken) -> str:
        return getattr(token, "raw", "")

    @staticmethod
    def resolve_premises(token: FarmToken) -> str:
        return token.premises.code


class RestrictionIn(In):
    keeps_in = Restriction
    kind: Restriction.Kind = Field(description="premises, township or radius")
    premises: str = Field("", description="The premises restricted, or the radius's centre")
    township: str = Field("", description="The township restricted (9 digits)")
    radius_km: Decimal | None = Field(None, gt=0, le=50, description="Kilometres, for a radius")
    reason: str
    investigation: str = Field("", description="The outbreak investigation, if one called it")
    starts_at: Moment | None = Field(None, description="By default now")
    ends_at: Moment | None = Field(None, description="Empty: until lifted")


class LiftIn(In):
    keeps_in = Restriction
    columns = {"reason": "lift_reason"}
    reason: str


class RestrictionOut(Schema):
    id: int
    kind: str
    premises: str | None = Field(None, alias="premises.code")
    township: str | None = Field(None, alias="township_id")
    radius_km: Decimal | None
    county: str = Field(alias="county_code")
    reason: str
    investigation: str
    starts_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None
    lift_reason: str


class VehicleIn(In):
    keeps_in = Vehicle
    plate: str = Field(description="e.g. 吉A12345")
    owner_name: str
    owner_phone: str
    capacity: int = Field(ge=1, le=5000, description="Animals it carries")
    documents: str = Field(description="The registration document's number")


class VehicleOut(Schema):
    plate: str
    owner_name: str
    owner_phone: str
    capacity: int
    documents: str
    county: str = Field(alias="county_id")
    status: str
    suspended_reason: str


class SuspendIn(In):
    keeps_in = Vehicle
    columns: ClassVar[dict[str, str]] = {"reason": "suspended_reason"}
    reason: str


class DealerIn(In):
    keeps_in = Dealer
    name: str
    id_card: str
    phone: str
    counties: list[RegionCode] = Field(
        default_factory=list, max_length=30, description="Other counties he works in"
    )
    trained_on: Day | None = None


class DealerOut(Schema):
    code: str
    name: str
    id_card: str = Field(alias="id_card_masked")
    phone: str
    counties: list[str]
    trained_on: date | None
    county: str = Field(alias="county_id")
    status: str
    suspended_reason: str

    @staticmethod
    def resolve_counties(dealer: Dealer) -> list[str]:
        return sorted(c.code for c in dealer.counties.all())


class CheckpointIn(In):
    keeps_in = Checkpoint
    code: str
    name: str
    road: str
    county: RegionCode
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class CheckpointOut(Schema):
    code: str
    name: str
    road: str
    county: str = Field(alias="county_id")
    county_name: str = Field(alias="county.name")
    latitude: float | None
    longitude: float | None
    is_active: bool
    officers: list[str] = Field(description="Posted there: shown within its county's jurisdiction")

    @staticmethod
    def resolve_officers(checkpoint: Checkpoint, context: dict[str, Any]) -> list[str]:
        # Staff of a county are named to those who supervise it, not to its neighbours.
        if not can_read_region(context["request"].user, checkpoint.county_id):
            return []
        return sorted(o.username for o in checkpoint.officers.all())


class PostIn(In):
    username: str = Field(max_length=150, description="A checkpoint officer of its county")
