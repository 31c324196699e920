from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from earmark.core.schemas import Day, In, SpeciesCode
from earmark.stocktakes.models import Stocktake


class StocktakeIn(In):
    keeps_in = Stocktake
    premises: str = Field(description="the premises counted (its 12-digit code)")
    species: SpeciesCode
    counted: int = Field(description="the animals of the species counted on the premises")
    tags: str = Field("", description="the tags read: numbers and ranges, as typed or scanned")
    taken_on: Day | None = Field(None, description="the day of the count (today by default)")


class ApproveIn(In):
    keeps_in = Stocktake
    note: str = Field(description="why the count is right")


class DifferenceOut(Schema):
    kind: str = Field(description="not_seen, elsewhere, unapplied, untagged or ledger")
    count: int
    tags: str
    cause: str
    action: str


class StocktakeOut(Schema):
    number: str
    premises: str = Field(alias="premises.code")
    premises_name: str = Field(alias="premises.name")
    species: str
    taken_on: date
    counted: int
    balance: int = Field(description="the ledger when it was recorded")
    tagged: int = Field(description="the live tagged animals recorded there then")
    adjustment: int = Field(description="what approving adds to the ledger as it was")
    status: str
    differences: list[DifferenceOut]
    recorded_by: str
    recorded_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    approval_note: str

    @staticmethod
    def resolve_recorded_by(stocktake: Stocktake) -> str:
        return str(stocktake.recorded_by)

    @staticmethod
    def resolve_approved_by(stocktake: Stocktake) -> str | None:
        return str(stocktake.approved_by) if stocktake.approved_by_id else None


class TownshipOut(Schema):
    township: str = Field(alias="code")
    name: str
    premises: int = Field(description="farms and households keeping animals")
    stocktaken: int = Field(description="of them, stocktaken in the year")
    stocktakes: int
    with_differences: int
    discrepancy_rate: float
    unexplained: int = Field(description="head counts and ledger disagree by, not yet approved")
    never: int = Field(description="premises never stocktaken")


class ReconciliationOut(Schema):
    year: int
    townships: list[TownshipOut]
