from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from earmark.trace.selectors import run_premises_trace, tag_trace

router = Router(tags=["trace"])


class StepOut(Schema):
    at: datetime
    kind: str
    title: str
    place: str
    document: str
    details: dict[str, Any]


class TagTraceOut(Schema):
    query: str
    tags: list[str]
    species: str
    state: str
    steps: list[StepOut]


@router.get(
    "/tags/{number}", response=TagTraceOut, summary="The whole chain of the animal carrying a tag"
)
def trace_tag(request: HttpRequest, number: str) -> Any:
    return tag_trace(user=request.user, text=number)  # type: ignore[arg-type]


class NodeOut(Schema):
    code: str
    name: str
    kind: str
    county_code: str
    hop: int


class LinkOut(Schema):
    origin: str
    destination: str
    animals: int
    certificates: list[str]
    first_at: datetime | None
    last_at: datetime | None


class PremisesTraceOut(Schema):
    start: str
    direction: str
    animals: int
    nodes: list[NodeOut]
    links: list[LinkOut]


@router.get(
    "/premises/{code}", response=PremisesTraceOut, summary="Backward and forward from a premises"
)
def trace_premises(
    request: HttpRequest,
    code: str,
    direction: str = "forward",
    since: date | None = Query(None, alias="from"),  # noqa: B008
    until: date | None = Query(None, alias="to"),  # noqa: B008
    hops: int = 3,
) -> dict[str, Any]:
    trace = run_premises_trace(request.user, code, direction, since, until, hops)  # type: ignore[arg-type]
    return {
        "start": trace.start,
        "direction": trace.direction,
        "animals": trace.animals,
        "nodes": list(trace.nodes.values()),
        "links": list(trace.links.values()),
    }
