"""The ear-tag inventory's data: makers and their orders, registered ranges, issue documents and
holdings, single tags and their append-only events, and the pliers."""

from __future__ import annotations

from earmark.eartags.models.inventory import (
    Holding,
    Issue,
    IssueLine,
    NumberRange,
    RegisteredRange,
    Registration,
)
from earmark.eartags.models.makers import Delivery, Manufacturer, ProductionPlan, TagOrder
from earmark.eartags.models.pliers import Pliers, PliersMove
from earmark.eartags.models.tags import AppendOnlyQuerySet, Tag, TagEvent

__all__ = [
    "AppendOnlyQuerySet",
    "Delivery",
    "Holding",
    "Issue",
    "IssueLine",
    "Manufacturer",
    "NumberRange",
    "Pliers",
    "PliersMove",
    "ProductionPlan",
    "RegisteredRange",
    "Registration",
    "Tag",
    "TagEvent",
    "TagOrder",
]
