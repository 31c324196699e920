from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from earmark.trace.selectors import tag_trace

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
