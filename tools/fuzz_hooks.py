"""Hostile values for ``make fuzz`` (loaded by schemathesis through ``SCHEMATHESIS_HOOKS``).

Schemathesis draws values that fit the OpenAPI document: its times carry a time zone, its text
is valid UTF-8, its dates plausible. What a careless or hostile client sends is not (#34): a time
without a zone, a lone surrogate, text-direction and zero-width characters, control characters,
the ends of the calendar, numbers beyond 64 bits. For every body and query it draws, these hooks
also draw a variant with one of its fields replaced by such a value, so that every operation
meets them; zero server errors stays the bar."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import strategies as st

# Text a URL can carry, then text only a JSON body can (a lone surrogate).
TEXT = [
    "2026-12-10T08:00:00",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01",
    "9999-12-31",
    "0001-01",
    "养殖场\u202e名",
    "a\u200bb",
    "\u2066x\u2069",
    "a\x00b",
    "\x1b[31m",
]
BODY_TEXT = [*TEXT, "\ud800", "x\udfffy"]
NUMBERS = [2**63, -(2**63) - 1, 10**20, -1, 0]


def _variants(values: dict[str, Any] | None, text: list[str]) -> st.SearchStrategy[Any]:
    if not isinstance(values, dict) or not values:
        return st.just(values)
    names = sorted(values)
    hostile = st.tuples(st.sampled_from(names), st.sampled_from([*text, *NUMBERS]))
    return st.one_of(st.just(values), hostile.map(lambda pair: {**values, pair[0]: pair[1]}))


def _json_only(context: Any) -> bool:
    """Whether the operation takes only JSON: a multipart form cannot carry a lone surrogate (the
    client could not even encode it)."""
    operation = getattr(context, "operation", None)
    if operation is None:
        return False
    types = operation.get_request_payload_content_types()
    return bool(types) and all("json" in kind for kind in types)


@schemathesis.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    return _variants(body, BODY_TEXT if _json_only(context) else TEXT)


@schemathesis.hook
def flatmap_query(context: Any, query: Any) -> st.SearchStrategy[Any]:
    return _variants(query, TEXT)
