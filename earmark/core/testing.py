"""Helpers for tests: every endpoint and page is tried with no user and with another county's."""

from __future__ import annotations

import importlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from openpyxl import Workbook

from earmark.core.errors import BusinessError


def client_for(user: AbstractBaseUser | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]  # the project's user, typed low here
    return client


def call(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    """Send JSON for API calls, form data for pages."""
    send = getattr(client, method.lower())
    if data is None:
        return send(url, **extra)
    if url.startswith("/api/"):
        return send(url, data=json.dumps(data), content_type="application/json", **extra)
    return send(url, data=data, **extra)


def assert_guarded(
    method: str,
    url: str,
    *,
    outsider: AbstractBaseUser,
    data: Any = None,
    outsider_status: int = 404,
) -> None:
    """No user is refused (401 in the API, sign-in page on the web); a user of another
    jurisdiction gets ``outsider_status`` and learns nothing of the object.

    Call it before the owner's own call in a test, since it must not change anything.
    """
    anonymous = call(client_for(None), method, url, data)
    if url.startswith("/api/"):
        assert anonymous.status_code == 401, (url, anonymous.status_code)
        assert anonymous.json()["code"] == "not_authenticated"
    else:
        assert anonymous.status_code == 302, (url, anonymous.status_code)
        assert anonymous["Location"].startswith("/login/"), anonymous["Location"]
    foreign = call(client_for(outsider), method, url, data)
    assert foreign.status_code == outsider_status, (url, foreign.status_code)
    if url.startswith("/api/") and outsider_status >= 400:
        body = foreign.json()
        assert set(body) == {"code", "message", "detail"}, body
        assert set(body["detail"]) == {"fields", "items"}, body


def with_forged_signature(payload: str) -> str:
    """A signed payload whose signature no longer matches: its first character is changed,
    which always changes the signature's bytes (its last characters may be padding bits, or
    zero in an Ed25519 signature, so changing those can leave it intact)."""
    body, signature = payload.split(".")
    return f"{body}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def race(attempts: list[Callable[[], Any]], *, hold: str, timeout: float = 20) -> list[Any]:
    """Run ``attempts`` in threads of their own so that they surely overlap: the first to return
    from ``hold`` (the dotted path of a function each attempt calls inside its transaction, after
    taking its locks, e.g. ``earmark.eartags.services.issuing.audit_record``) keeps its
    transaction open until every other attempt has started and — on PostgreSQL — waits on a
    lock it holds.
    Returns each attempt's result, or the code of the BusinessError it raised, in order.
    """
    from django.db import connection

    module_path, name = hold.rsplit(".", 1)
    module = importlib.import_module(module_path)
    original = getattr(module, name)
    started = threading.Semaphore(0)
    first = threading.Lock()
    overlapped: list[bool] = []

    def held(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if first.acquire(blocking=False):
            for _ in attempts[1:]:
                started.acquire(timeout=timeout)
            overlapped.append(_others_wait(connection, timeout))
        return result

    def run(index: int) -> Any:
        try:
            if index:
                started.release()
            return attempts[index]()
        except BusinessError as error:
            return error.code
        finally:
            connection.close()

    setattr(module, name, held)
    try:
        with ThreadPoolExecutor(len(attempts)) as pool:
            results = list(pool.map(run, range(len(attempts))))
    finally:
        setattr(module, name, original)
    assert overlapped == [True], "the attempts did not overlap"
    return results


def _others_wait(connection: Any, timeout: float) -> bool:
    """Whether another transaction now waits on this one (PostgreSQL: a lock not granted).
    SQLite takes its one write lock at the start of each write transaction: another writer
    that has started waits for this one by construction."""
    if connection.vendor != "postgresql":
        time.sleep(0.05)
        return True
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] >= 1:
                return True
            time.sleep(0.02)
    return False


def get_answers(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each GET of an OpenAPI document: its path, its operation and the schema of its 200
    answer (a ``$ref`` resolved)."""
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        content = get["responses"]["200"].get("content", {}).get("application/json", {})
        schema = content.get("schema", {})
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        yield path, get, schema


def resolve_schema(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """A schema of the OpenAPI ``document`` with its references followed, and of a nullable
    (``anyOf``) or composed (``allOf``) one the first part that is not null."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        return resolve_schema(next(s for s in schema["anyOf"] if s.get("type") != "null"), document)
    if "allOf" in schema:
        return resolve_schema(schema["allOf"][0], document)
    return schema


def is_paginated(schema: dict[str, Any]) -> bool:
    """Whether an answer is a page of a list: ``{items, count}``."""
    return set(schema.get("properties", {})) == {"items", "count"}


# Workbooks of any size built as they are written (the bounds of uploads, #34).
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:B2"/><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>\xe5\xa4\x87\xe6\xb3\xa8</t></is></c></row>'
)
TAIL = b"</sheetData></worksheet>"


def workbook_with_rows(
    rows: Iterator[bytes], *, strings: Iterator[bytes] | None = None
) -> io.BytesIO:
    """A real workbook whose sheet is replaced by the header and ``rows`` (written as they come,
    so that the test builds a bomb without holding it), and its shared strings by ``strings``."""
    base = io.BytesIO()
    book = Workbook()
    book.active.title = "表"
    book.save(base)
    source = zipfile.ZipFile(base)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w") as sheet:
                    sheet.write(HEAD)
                    for row in rows:
                        sheet.write(row)
                    sheet.write(TAIL)
            else:
                target.writestr(info, source.read(info.filename))
        if strings is not None:
            with target.open("xl/sharedStrings.xml", "w") as shared:
                shared.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                for text in strings:
                    shared.write(text)
                shared.write(b"</sst>")
    out.seek(0)
    return out


def data_rows(first: int, count: int, cells: int = 2) -> Iterator[bytes]:
    for n in range(first, first + count):
        yield f'<row r="{n}">'.encode() + b"<c><v>1</v></c>" * cells + b"</row>"
