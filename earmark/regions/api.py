from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from earmark.regions.selectors import (
    region_aliases,
    region_ancestors,
    region_children,
    region_get,
)

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str


class RegionDetailOut(RegionOut):
    parent_code: str | None
    ancestors: list[RegionOut]
    historical_codes: list[str]


@router.get(
    "/regions", response=list[RegionOut], summary="Children of a region (provinces without parent)"
)
@paginate
def regions_list(request: HttpRequest, parent: str | None = None) -> object:
    """Administrative divisions are reference data: every signed-in user may read them."""
    return region_children(code=parent)


@router.get("/regions/{code}", response=RegionDetailOut, summary="One region with its ancestors")
def regions_get(request: HttpRequest, code: str) -> dict[str, object]:
    """A historical county code (e.g. 220181) answers with the county that bears it today."""
    region = region_get(code=code)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent_code": region.parent_id,
        "ancestors": region_ancestors(region=region),
        "historical_codes": region_aliases(region=region),
    }
