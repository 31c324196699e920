"""Every text field of every request body, sent far too long, and every number sent far too
large: the answer is a refusal in the error shape, never a server error. Generated from the
OpenAPI document, so new operations are covered without editing this test."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import resolve_schema

LONG = "长" * 600
LARGE = 2**62


def _value(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    schema = resolve_schema(schema, document)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: _value(v, document) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [_value(schema.get("items", {}), document)]
    return {"integer": 1, "number": 1, "boolean": True}.get(kind or "", "x")


def _bodies(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, field, body) with one field at its extreme, the others plain."""
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            base = _value(schema, document)
            properties = resolve_schema(schema, document).get("properties", {})
            url = path.replace("{", "").replace("}", "")
            for name, field in properties.items():
                kind = resolve_schema(field, document).get("type")
                if kind == "string" and "enum" not in resolve_schema(field, document):
                    found.append((method, url, name, {**base, name: LONG}))
                elif kind == "integer":
                    found.append((method, url, name, {**base, name: LARGE}))
    return found


@pytest.mark.parametrize("role", [Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER])
def test_no_field_at_its_extreme_gives_a_server_error(make_user: MakeUser, role: str) -> None:
    user: User = make_user("220000" if role == Role.PROVINCE_ADMIN else "220102", (role,))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    document = client.get("/api/v1/openapi.json").json()
    bodies = _bodies(document)
    assert len(bodies) > 100
    errors = []
    for method, url, field, body in bodies:
        answer = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        if answer.status_code >= 500:
            errors.append(f"{method} {url} {field}: {answer.status_code}")
        elif answer.status_code >= 400:
            refusal = answer.json()
            assert set(refusal) == {"code", "message", "detail"}, (url, refusal)
            # Every refusal names its reason; the database's own limit is never what stops it.
            if refusal["code"] == "out_of_range":
                errors.append(f"{method} {url} {field}: only the database refused it")
    assert errors == [], "\n".join(errors)
