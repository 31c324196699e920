"""One API grammar (docs/api.md, "Names"): plural nouns grouped by the thing, state changes as a
POST to a named action, documents as the thing's path and then the format, every list paginated
and typed, and every operationId named ``<thing>_<verb>`` from its method and path. The old
paths keep answering for one release, saying where their successor is."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils.encoding import iri_to_uri

from earmark.accounts.models import User
from earmark.api_deprecated import RENAMED
from earmark.core.testing import client_for

# A POST to /<things>/{key}/<action> (or /<things>/<action>) changes state or runs a check; any
# other POST creates a thing.
ACTIONS = {
    "accept", "acknowledge", "answer", "apply", "approve", "check", "close", "confirm_disposal",
    "deactivate", "decide", "distrust", "drop", "enable", "import", "inspect", "issue", "lift",
    "pin", "preview", "redirect", "reinstate", "reject", "replace", "request", "requeue", "retry",
    "report", "return", "review", "revoke", "rotate_qr", "split", "suspend", "unlock_pin",
    "verify",
}  # fmt: skip
# A GET that ends in one of these reads a view or a document of the thing, not a list.
VIEWS = {
    "current", "epcis", "inventory", "pdf", "pending", "png", "reconciliation", "snapshot",
    "stock", "svg", "trace", "xlsx",
}  # fmt: skip
# Things there is one of (for the caller), and nouns without a plural.
SINGLETONS = {"me", "farm", "rollout", "exchange", "statistics"}
UNCOUNTABLE = {"publicity"}
_KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")


def operation_name(method: str, path: str) -> str:
    """The operationId the grammar gives an operation: the path's words, then what the method
    does with them (list, get, create, update, set), unless the last word says it."""
    segments = path.removeprefix("/api/v1/").strip("/").split("/")
    words = [s.replace("-", "_") for s in segments if not s.startswith("{")]
    last = segments[-1]
    keyed = last.startswith("{")
    suffix = {
        "GET": "get" if keyed or path_is_one(words) else None if words[-1] in VIEWS else "list",
        "POST": None if words[-1] in ACTIONS else "create",
        "PUT": "set",
        "PATCH": "update",
    }[method]
    return "_".join(words + ([suffix] if suffix else []))


def path_is_one(words: list[str]) -> bool:
    return len(words) == 1 and words[0] in SINGLETONS


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def _paginated(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    answer = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    ref = answer.get("schema", {}).get("$ref", "")
    schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return {"items", "count"} <= set(schema.get("properties", {}))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def test_paths_are_plural_nouns_and_named_actions(document: dict[str, Any]) -> None:
    wrong = []
    for method, path, _operation in _operations(document):
        segments = path.removeprefix("/api/v1/").split("/")
        for position, segment in enumerate(segments):
            if segment.startswith("{"):
                continue
            if not _KEBAB.match(segment):
                wrong.append(f"{method} {path}: {segment} (lower-case words and dashes, no dots)")
            followed_by_key = position + 1 < len(segments) and segments[position + 1][0] == "{"
            plural = segment.endswith("s") or segment in SINGLETONS | UNCOUNTABLE
            if followed_by_key and not plural:
                wrong.append(f"{method} {path}: {segment} is not a plural noun")
        last = segments[-1].replace("-", "_")
        if method == "DELETE":
            wrong.append(f"{method} {path}: an ending is a POST to a named action (revoke)")
        if method == "PATCH" and not segments[-1].startswith("{"):
            wrong.append(f"{method} {path}: PATCH edits one thing at its own path")
        if method == "POST" and segments[-1].startswith("{"):
            wrong.append(f"{method} {path}: a POST goes to a collection or a named action")
        if method == "GET" and last in ACTIONS:
            wrong.append(f"{method} {path}: an action is a POST")
    assert wrong == []


def test_every_operation_id_is_thing_and_verb_and_the_view_bears_it(
    document: dict[str, Any],
) -> None:
    from earmark.api import api

    views = {
        api.get_openapi_operation_id(operation): operation.view_func.__name__
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }
    wrong = []
    for method, path, operation in _operations(document):
        expected = operation_name(method, path)
        if operation["operationId"] != expected:
            wrong.append(f"{method} {path}: {operation['operationId']}, not {expected}")
        elif views[expected] != expected:
            wrong.append(f"{method} {path}: its function is {views[expected]}")
    assert wrong == []


def test_every_list_is_paginated_and_typed(document: dict[str, Any]) -> None:
    bare = []
    for method, path, operation in _operations(document):
        if method == "GET" and operation["operationId"].endswith("_list"):
            names = {p["name"] for p in operation.get("parameters", [])}
            if not {"limit", "offset"} <= names or not _paginated(document, operation):
                bare.append(path)
        if method != "GET" or not operation["operationId"].endswith(("_list", "_get")):
            continue
        answer = operation["responses"]["200"].get("content", {}).get("application/json", {})
        schema = answer.get("schema", {})
        if schema.get("type") == "array" or schema == {} or schema.get("additionalProperties"):
            bare.append(f"{path} answers an untyped body")
    assert bare == []


def test_a_document_is_the_things_path_and_its_format(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        if path.endswith(("/pdf", "/xlsx", "/png", "/svg")):
            assert method == "GET", path
            kind = path.rsplit("/", 1)[-1]
            assert operation["operationId"].endswith(f"_{kind}"), path


def test_the_old_paths_answer_as_their_successors_and_say_so(
    county_officer: User, document: dict[str, Any]
) -> None:
    client = client_for(county_officer)
    for entry in RENAMED:
        values = {
            "token_id": "0", "sync_id": "0", "code": "220102000001", "number": "0",
            "vaccine_id": "0", "death_id": "0", "plate": "吉A00000", "event_id": "0", "serial": "X",
        }  # fmt: skip
        old = "/api/v1/" + entry.old.format(**values)
        new = "/api/v1/" + entry.new.format(**values)
        assert f"/api/v1/{entry.new}" in document["paths"], entry.new
        before = client.generic(entry.method, old, "{}", content_type="application/json")
        after = client.generic(
            entry.new_method or entry.method, new, "{}", content_type="application/json"
        )
        assert before.status_code == after.status_code, (entry.old, before.content)
        assert before["Deprecation"].startswith("@"), entry.old
        assert before["Link"] == f'<{iri_to_uri(new)}>; rel="successor-version"'
        assert "Deprecation" not in after
