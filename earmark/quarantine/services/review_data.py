"""What a declaration says and what its review finds: every problem at once, by field, by tag
range and in general; and the notice each purpose needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError, ErrorCode, item
from earmark.eartags.codes import format_range
from earmark.eartags.ranges import RangeSet
from earmark.quarantine.errors import DECLARATION_REFUSED


@dataclass(frozen=True)
class DeclarationData:
    species: str
    quantity: int
    purpose: str
    destination_province: str
    planned_departure: datetime
    carrier_name: str
    carrier_phone: str
    vehicle_plate: str
    numbers: str
    destination_region: str = ""
    destination_premises: str = ""
    destination_address: str = ""
    # The registration code of the dealer who bought the animals, if one did.
    dealer: str = ""


@dataclass
class TagProblem:
    first: int
    last: int
    problems: list[str]
    text: str = ""

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def as_item(self) -> dict[str, Any]:
        label = self.text or format_range(self.first, self.last)
        return item(label, self.problems, field="tags", count=self.count if not self.text else 0)


@dataclass
class Review:
    """Everything wrong with a declaration: general problems, fields, and tags by range."""

    general: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    tags: list[TagProblem] = field(default_factory=list)
    numbers: RangeSet = field(default_factory=RangeSet)
    # What the agency is told about (see ``Refusal``): never-registered tags, tags of another
    # township's inventory, and a quantity larger than the stock on hand.
    unregistered: RangeSet = field(default_factory=RangeSet)
    foreign: RangeSet = field(default_factory=RangeSet)
    on_hand: int = 0
    over_stock: bool = False

    @property
    def ok(self) -> bool:
        return not (self.general or self.fields or self.tags)

    @property
    def worth_reporting(self) -> bool:
        return bool(self.unregistered or self.foreign or self.over_stock)

    def refusal(
        self, message: str | None = None, code: ErrorCode = DECLARATION_REFUSED
    ) -> BusinessError:
        return BusinessError(
            message
            or _("The declaration was not submitted; correct these problems and submit again."),
            code=code,
            fields=self.fields,
            items=[t.as_item() for t in self.tags] + [item("", g) for g in self.general],
        )


def notice_hours(purpose: str) -> int:
    return int(settings.EARMARK_ADVANCE_NOTICE_HOURS.get(purpose, 72))
