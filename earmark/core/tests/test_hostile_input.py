"""What a hostile or careless client sends, on every operation the OpenAPI document lists: text
that is not text (a lone surrogate), text that hides itself (bidi controls, zero-width
characters), a time without a time zone, dates at the ends of the calendar, numbers beyond 64
bits — in every body field, query parameter and path parameter of its kind. The answer is a
refusal in the error shape or a success, never a server error (#34). Generated from the document,
so a new operation is covered without editing this test."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import resolve_schema
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import farm_token_create, premises_pin_issue

TEXT = ["\ud800", "养殖场\u202e名", "a\u200bb", "\u2066x\u2069"]
MOMENTS = ["2026-12-10T08:00:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59+14:00"]
DAYS = ["0001-01-01", "9999-12-31", "1989-12-31"]
NUMBERS = [2**63, -(2**63) - 1, 10**20]
# A path parameter is text in a URL: what a URL can carry.
PATH = ["0001-01", "\u202e220102", "9" * 40, "-1"]


# Fields that carry the same meaning wherever they appear, given a value the service accepts (a
# farm of the county with tagged, vaccinated pigs), so that a request goes as deep as it can.
GOOD: dict[str, Any] = {
    "species": "pig",
    "quantity": 1,
    "purpose": "slaughter",
    "destination_province": "220000",
    "destination_region": "220102",
    "destination_address": "南关区定点屠宰场",
    "carrier_name": "赵运输",
    "carrier_phone": "13700001111",
    "phone": "13800000000",
    "vehicle_plate": "吉A12345",
    "plate": "吉A12345",
    "tags": pig(1),
    "numbers": pig(1),
    "township": "220102001",
    "county": "220102",
    "region": "220102",
    "name": "测试",
}


def _plain(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """A well-formed value of ``schema``, so that one hostile field is all that is wrong."""
    schema = resolve_schema(schema, document)
    if "enum" in schema:
        return schema["enum"][0]
    kind, form = schema.get("type"), schema.get("format")
    if kind == "object":
        return {
            k: GOOD[k] if k in GOOD else _plain(v, document)
            for k, v in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_plain(schema.get("items", {}), document)]
    if form == "date-time":
        return "2026-12-10T08:00:00+08:00"
    if form == "date":
        return "2026-12-10"
    return {"integer": 1, "number": 1, "boolean": True}.get(kind or "", "x")


def _hostile(schema: dict[str, Any], document: dict[str, Any]) -> list[Any]:
    schema = resolve_schema(schema, document)
    if "enum" in schema:
        return TEXT[:1]
    kind, form = schema.get("type"), schema.get("format")
    if form == "date-time":
        return MOMENTS
    if form == "date":
        return DAYS
    if kind == "string":
        return TEXT
    if kind == "integer":
        return NUMBERS
    return []


def _fill(path: str, values: dict[str, str]) -> str:
    """``path`` with its parameters replaced: those named in ``values``, the others by x."""
    return re.sub(r"\{(\w+)\}", lambda found: values.get(found.group(1), "x"), path)


def _requests(document: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """(method, url, what is hostile, body) for every hostile value in every place."""
    found: list[tuple[str, str, str, Any]] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            plain_path = _fill(path, {})
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            body = _plain(schema, document) if schema else None
            for p in parameters:
                if p["in"] == "path":
                    for value in PATH:
                        url = _fill(path, {p["name"]: quote(value, safe="")})
                        found.append((method, url, f"path {p['name']}={value!r}", body))
                elif p["in"] == "query":
                    for value in _hostile(p.get("schema", {}), document):
                        if isinstance(value, str) and "\ud800" in value:
                            continue  # a URL cannot carry it
                        query = urlencode({p["name"]: value})
                        found.append(
                            (method, f"{plain_path}?{query}", f"{p['name']}={value!r}", body)
                        )
            if schema is None:
                continue
            for name, field in resolve_schema(schema, document).get("properties", {}).items():
                for value in _hostile(field, document):
                    found.append((method, plain_path, f"{name}={value!r}", {**body, name: value}))
    return found


def _client(role: str, make_user: MakeUser, farm: Premises, county_officer: User) -> Client:
    if role == "farm":
        pin = premises_pin_issue(actor=county_officer, premises=farm)
        token = farm_token_create(qr_token=farm.qr_token, pin=pin, name="hostile")[1]
        return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
    region = {Role.PROVINCE_ADMIN: "220000", Role.TOWNSHIP_OFFICER: "220102001"}.get(role, "220102")
    client = Client(raise_request_exception=False)
    client.force_login(make_user(region, (role,)))
    return client


@pytest.mark.parametrize(
    "role", [Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER, "farm"]
)
def test_no_hostile_value_anywhere_gives_a_server_error(
    make_user: MakeUser, ready_farm: Premises, county_officer: User, role: str
) -> None:
    for name in ("premises", "origin_premises", "destination_premises"):
        GOOD[name] = ready_farm.code
    client = _client(role, make_user, ready_farm, county_officer)
    document = client.get("/api/v1/openapi.json").json()
    requests = _requests(document)
    assert len(requests) > 500
    errors = []
    for method, url, what, body in requests:
        extra: dict[str, Any] = {}
        if body is not None:
            extra = {"data": json.dumps(body), "content_type": "application/json"}
        answer = getattr(client, method)(url, **extra)
        if answer.status_code >= 500:
            errors.append(f"{method} {url} {what}: {answer.status_code}")
        elif answer.status_code >= 400 and answer.get("Content-Type") == "application/json":
            assert set(answer.json()) == {"code", "message", "detail"}, (url, answer.json())
    assert errors == [], "\n".join(errors)
