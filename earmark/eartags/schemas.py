"""What the eartags API takes and answers: its request and response schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from django.utils import timezone
from ninja import Field, Schema

from earmark.core.schemas import FIRST_YEAR, LAST_YEAR, Day, In, SpeciesCode, formerly
from earmark.eartags.codes import format_tag
from earmark.eartags.holders import Holder, holder_of
from earmark.eartags.models import (
    Delivery,
    Issue,
    Manufacturer,
    Pliers,
    ProductionPlan,
    RegisteredRange,
    Registration,
    TagOrder,
)
from earmark.eartags.selectors.inventory import TagDetail, issue_holders
from earmark.eartags.services.issuing import Selection


class RowIn(In):
    keeps_in = RegisteredRange
    species: str = Field(
        description="a species code of `GET /api/v1/species`, or its name as on the sheet (猪)"
    )
    first: str
    last: str
    quantity: str
    box: str = ""
    pack: str = ""


class RegistrationIn(In):
    rows: list[RowIn]
    delivery_id: int | None = None


class RegistrationOut(Schema):
    number: str
    county_code: str
    count: int
    source: str
    delivery_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_county_code(item: Registration) -> str:
        return item.county_id


class DeliveryIn(In):
    keeps_in = Delivery
    order_id: int = Field(description="The county's order (计划订购) the delivery fills")
    note_number: str
    delivered_on: Day


class DeliveryOut(Schema):
    id: int
    manufacturer: str
    order: str | None = Field(None, description="The order's number; none for older deliveries")
    note_number: str
    delivered_on: date

    @staticmethod
    def resolve_order(delivery: Delivery) -> str | None:
        return delivery.order.number if delivery.order else None


class ManufacturerIn(In):
    keeps_in = Manufacturer
    name: str
    licence: str = Field(description="Production licence number; unique")
    species: list[SpeciesCode] = Field(max_length=3)
    valid_from: Day
    valid_until: Day


class ManufacturerOut(Schema):
    id: int
    name: str
    licence: str
    species: list[str]
    valid_from: date
    valid_until: date
    status: str
    revoked_reason: str
    designated_today: bool

    @staticmethod
    def resolve_designated_today(maker: Manufacturer) -> bool:
        return maker.designated_on(timezone.localdate())


class DesignationRevokeIn(In):
    keeps_in = Manufacturer
    columns: ClassVar[dict[str, str]] = {"reason": "revoked_reason"}
    reason: str


class ProductionPlanIn(In):
    manufacturer_id: int
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    species: SpeciesCode
    quantity: int = Field(ge=1)


class ProductionPlanOut(Schema):
    id: int
    manufacturer_id: int
    manufacturer: str
    year: int
    species: str
    quantity: int
    ordered: int = Field(description="Tags the counties have ordered against the plan")

    @staticmethod
    def resolve_manufacturer(plan: ProductionPlan) -> str:
        return plan.manufacturer.name


class TagOrderIn(In):
    plan_id: int
    first: str = Field(max_length=20, description="First number of the block (15 digits)")
    last: str = Field(max_length=20, description="Last number of the block")
    ordered_on: Day | None = None


class TagOrderOut(Schema):
    id: int
    number: str
    county: str = Field(alias="county_id")
    manufacturer: str
    plan_id: int
    species: str
    first: str
    last: str
    quantity: int
    registered: int = Field(description="Numbers of the block registered from deliveries")
    ordered_on: date

    @staticmethod
    def resolve_manufacturer(order: TagOrder) -> str:
        return order.plan.manufacturer.name

    @staticmethod
    def resolve_species(order: TagOrder) -> str:
        return order.plan.species

    @staticmethod
    def resolve_first(order: TagOrder) -> str:
        return format_tag(order.first)

    @staticmethod
    def resolve_last(order: TagOrder) -> str:
        return format_tag(order.last)


class BoxIn(In):
    keeps_in = RegisteredRange
    box: str
    pack: str = ""


class SelectionIn(In):
    keeps_in = Issue
    renamed = {"ranges": "tags"}
    species: SpeciesCode
    tags: str = Field("", description="tag numbers and ranges, as typed or scanned")
    boxes: list[BoxIn] = []
    count: int = 0
    note: str = ""

    def selection(self) -> Selection:
        return Selection(
            ranges=self.tags, boxes=[(b.box, b.pack) for b in self.boxes], count=self.count
        )


class IssueIn(SelectionIn):
    to: str


class MoveIn(SelectionIn):
    holder: str


class LineOut(Schema):
    first: str
    last: str
    count: int


class IssueOut(Schema):
    number: str
    kind: str
    species: str
    count: int
    from_holder: str
    to_holder: str
    township_code: str
    note: str
    created_by: str
    created_at: datetime
    lines: list[LineOut]

    @staticmethod
    def resolve_from_holder(issue: Issue) -> str:
        return issue_holders(issue)[0].label

    @staticmethod
    def resolve_to_holder(issue: Issue) -> str:
        return issue_holders(issue)[1].label

    @staticmethod
    def resolve_created_by(issue: Issue) -> str:
        return issue.created_by.get_username()

    @staticmethod
    def resolve_lines(issue: Issue) -> list[dict[str, Any]]:
        return [
            {"first": format_tag(line.first), "last": format_tag(line.last), "count": line.count}
            for line in issue.lines.all()
        ]


class HoldingOut(Schema):
    holder: str
    holder_key: str
    species: str
    state: str
    count: int
    tags: list[str] = Field(description="the numbers held, as ranges")
    ranges: list[str] = formerly("tags")


class TagCheckIn(In):
    renamed = {"numbers": "tags"}
    tags: str
    township: str
    holder: str | None = None


class SegmentOut(Schema):
    first: str
    last: str
    count: int
    registered: bool
    county_code: str
    township_code: str
    holder: str
    state: str
    problems: list[str]


class CheckOut(Schema):
    ok: bool
    checked: int
    problem_count: int
    segments: list[SegmentOut]
    unreadable: list[dict[str, str]]
    legacy: list[str]


class EventOut(Schema):
    kind: str
    first: str
    last: str
    holder: str
    document_type: str
    document_id: str
    actor: str | None
    created_at: datetime


class TagOut(Schema):
    number: str
    state: str
    species: str
    registered_range: str
    registered_county: str
    box: str
    pack: str
    registration: str
    delivery: str | None
    holder: str | None
    township_code: str
    events: list[EventOut]
    documents: list[str]


class IssuePreviewOut(Schema):
    count: int
    to_holder: str
    lines: list[LineOut]


class PliersIn(In):
    keeps_in = Pliers
    serials: list[str] = Field(description="Serial numbers, at most 500 at a time")


class PliersMoveIn(PliersIn):
    holder: str = Field(
        description="To whom (issue) or from whom (return): agency:ID or vaccinator:ID"
    )


class PliersOut(Schema):
    serial: str
    county: str = Field(alias="county_id")
    holder: str

    @staticmethod
    def resolve_holder(pliers: Pliers) -> str:
        if pliers.vaccinator is not None:
            return Holder(vaccinator=pliers.vaccinator).label
        return pliers.agency.name if pliers.agency else ""


class PliersMoveOut(Schema):
    kind: str
    from_holder: str = Field(alias="from_label")
    to_holder: str = Field(alias="to_label")
    actor: str
    at: datetime

    @staticmethod
    def resolve_actor(move: Any) -> str:
        return str(move.actor)


def tag_answer(detail: TagDetail) -> dict[str, Any]:
    """One tag as ``TagOut`` answers it: registration, delivery, holder, state and history."""
    registered = detail.registered
    assert registered is not None
    holding = detail.holding
    return {
        "number": detail.text,
        "state": detail.state,
        "species": registered.species,
        "registered_range": str(registered),
        "registered_county": registered.county_code,
        "box": registered.box,
        "pack": registered.pack,
        "registration": registered.registration.number,
        "delivery": registered.registration.delivery.note_number
        if registered.registration.delivery
        else None,
        "holder": holder_of(holding).label if holding else None,
        "township_code": (detail.tag.township_code if detail.tag else "")
        or (holding.township_code if holding else ""),
        "events": [
            {
                "kind": e.kind,
                "first": format_tag(e.first),
                "last": format_tag(e.last),
                "holder": e.holder,
                "document_type": e.document_type,
                "document_id": e.document_id,
                "actor": e.actor.get_username() if e.actor else None,
                "created_at": e.created_at,
            }
            for e in detail.events
        ],
        "documents": [i.number for i in detail.issues],
    }
