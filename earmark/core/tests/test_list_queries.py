"""Every list runs a constant number of queries, however long it is: each paginated GET of the
API, found in the OpenAPI document, is asked for one row and for fifty over the demo county's
data, and must run the same queries for both (a query per row shows as a difference)."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.core.testing import client_for
from earmark.eartags.services.registration import delivery_create
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.credentials import farm_token_create, premises_pin_issue
from earmark.quarantine.models import Declaration
from earmark.rollout.models import Training
from earmark.rollout.services.equipment import training_record


def _lists(document: dict[str, Any]) -> list[str]:
    paths = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        schema = get["responses"]["200"].get("content", {}).get("application/json", {})
        schema = schema.get("schema", {})
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        if set(schema.get("properties", {})) == {"items", "count"}:
            paths.append(path)
    return paths


# Lists that are short without a filter: the regions are listed below a parent.
FILTERS = {"/api/v1/regions": {"parent": "220113"}}


def _queries(client: Client, url: str, limit: int) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"limit": limit, **FILTERS.get(url, {})})
    assert response.status_code == 200, (url, response.content[:300])
    sql = [q["sql"] for q in captured.captured_queries]
    return len(response.json()["items"]), len(sql), sql


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    call_command("seed_demo", stdout=io.StringIO())
    county = User.objects.get(username="demo-county")
    for note in ("SH-2026-901", "SH-2026-902"):
        delivery_create(
            actor=county, manufacturer="耳标厂", note_number=note, delivered_on=timezone.localdate()
        )
    for device in ("手机", "平板"):
        token_create(actor=county, user=county, name=device)
    # The tests' counties are switched on already, so the demo leaves the rollout (and its
    # trainings) out: two sessions, for a list of two.
    for title in ("师资培训", "使用培训"):
        training_record(
            actor=county,
            kind=Training.Kind.USER,
            held_on=timezone.localdate(),
            title=title,
            attendance=[("220113", 4), ("220113102", 3)],
        )
    # The farm with the most declarations answers for its own on the farm API.
    farm = max(
        Premises.objects.filter(county_code="220113", kind="farm"),
        key=lambda p: Declaration.objects.filter(premises=p).count(),
    )
    pin = premises_pin_issue(actor=User.objects.get(username="demo-county"), premises=farm)
    _token, raw = farm_token_create(qr_token=farm.qr_token, pin=pin, name="测试手机")
    busiest = max(
        Premises.objects.filter(county_code="220113"),
        key=lambda p: StockChange.objects.filter(premises=p).count(),
    )
    return {"farm": Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), "code": busiest.code}


def test_every_list_runs_the_same_queries_for_one_row_and_for_fifty(
    demo: dict[str, Any],
) -> None:
    document = client_for(None).get("/api/v1/openapi.json").json()
    paths = _lists(document)
    assert len(paths) >= 20
    users = [User.objects.get(username=name) for name in ("demo-province", "demo-county")]
    compared, growing = set(), []
    for path in paths:
        url = "/api/v1" + path.removeprefix("/api/v1").replace("{code}", demo["code"])
        clients = [demo["farm"]] if path.startswith("/api/v1/farm/") else map(client_for, users)
        for client in clients:
            # Once first: a token's use is recorded at most once a minute.
            client.get(url, {"limit": 1})
            few, short, _ = _queries(client, url, 1)
            many, long, sql = _queries(client, url, 50)
            if many < 2:
                continue
            compared.add(path)
            if long != short:
                shapes = Counter(re.sub(r"'[^']*'|\d+", "?", q) for q in sql)
                repeated = [q[:200] for q, n in shapes.items() if n > 1]
                growing.append(f"{path}: {short} queries for {few}, {long} for {many}: {repeated}")
    assert growing == [], "\n".join(growing)
    # Every list holds at least two rows in the demo, so that each one was compared.
    assert compared == set(paths)
