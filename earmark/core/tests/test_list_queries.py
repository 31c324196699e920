"""Every list runs a constant number of queries, however long it is: each paginated GET of the
API, found in the OpenAPI document, and each page of the site, found in the URL resolver, is
asked for one row and for fifty over the demo county's data, and must run the same queries for
both (a query per row shows as a difference)."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from earmark.accounts.demo import DEMO_TOWNSHIP
from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.core.testing import client_for, get_answers, is_paginated
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.credentials import farm_token_create, premises_pin_issue
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.rollout.models import Training
from earmark.rollout.services.equipment import (
    terminal_quota_set,
    terminal_register,
    training_record,
)


def _lists(document: dict[str, Any]) -> list[str]:
    return [path for path, _get, schema in get_answers(document) if is_paginated(schema)]


def _growing(url: str, few: tuple[int, int], many: tuple[int, int], sql: list[str]) -> str:
    """Why a list's queries grew with its rows: the statements that repeat."""
    shapes = Counter(re.sub(r"'[^']*'|\d+", "?", q) for q in sql)
    repeated = [q[:200] for q, n in shapes.items() if n > 1]
    return f"{url}: {few[1]} queries for {few[0]}, {many[1]} for {many[0]}: {repeated}"


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
    # Two terminals handed out and two agencies' quotas: lists of two.
    province = User.objects.get(username="demo-province")
    for device, holder in (("IMEI-0001", "demo-county"), ("IMEI-0002", "demo-township")):
        terminal_register(actor=county, device_id=device, holder=User.objects.get(username=holder))
    for region in ("220113", DEMO_TOWNSHIP):
        terminal_quota_set(actor=province, region_code=region, required=3)
    # Two certificates nobody received, past their validity: a list of two overdue (the demo
    # leaves one unreceived and one declaration inspected, not yet certified).
    inspected = Declaration.objects.filter(status=Declaration.Status.INSPECTED).first()
    assert inspected is not None
    certificate_issue(actor=User.objects.get(username="demo-vet"), declaration=inspected)
    unreceived = Certificate.objects.filter(status=Certificate.Status.VALID, receipt=None)
    past = timezone.localdate() - timedelta(days=3)
    Certificate.objects.filter(pk__in=list(unreceived.values_list("pk", flat=True)[:2])).update(
        valid_until=past
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
        # The demo's pliers handed on twice.
        url = "/api/v1" + path.removeprefix("/api/v1").replace("{code}", demo["code"]).replace(
            "{serial}", "JT-QZ-001"
        )
        clients = [demo["farm"]] if path.startswith("/api/v1/farm/") else map(client_for, users)
        for client in clients:
            # Once first: a token's use is recorded at most once a minute. A list for one role
            # only (the province administrator's) is compared for that role.
            if client.get(url, {"limit": 1}).status_code == 403:
                continue
            few, short, _ = _queries(client, url, 1)
            many, long, sql = _queries(client, url, 50)
            if many < 2:
                continue
            compared.add(path)
            if long != short:
                growing.append(_growing(path, (few, short), (many, long), sql))
    assert growing == [], "\n".join(growing)
    # Every list holds at least two rows in the demo, so that each one was compared.
    assert compared == set(paths)


def _page_routes() -> list[str]:
    """The site's pages that take no parameters (lists, dashboards, forms)."""
    routes = []
    for route, _name, parameters in _walk(get_resolver().url_patterns):
        if parameters or route.startswith(("api/", "^api/", "i18n/", "static/", "^static/")):
            continue
        if "logout" in route or "(?P" in route or "^" in route:
            continue
        routes.append("/" + route)
    return routes


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str, list[str]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield route, pattern.name or "", re.findall(r"<(?:\w+:)?(\w+)>", route)


def _page_queries(client: Client, url: str, per_page: int) -> tuple[int, int, list[str]]:
    """Queries of a page whose paginators show ``per_page`` rows, and the rows they showed."""
    shown: list[int] = []
    original = Paginator.get_page

    def get_page(paginator: Paginator, number: Any) -> Any:
        paginator.per_page = per_page
        page = original(paginator, number)
        shown.append(len(page.object_list))
        return page

    with (
        patch.object(Paginator, "get_page", get_page),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    sql = [q["sql"] for q in captured.captured_queries]
    # A page the user may not open (403) or that sends it on (302) lists nothing.
    return (sum(shown) if response.status_code == 200 else 0), len(sql), sql


def test_every_page_runs_the_same_queries_for_one_row_and_for_fifty(
    demo: dict[str, Any],
) -> None:
    users = [User.objects.get(username=name) for name in ("demo-province", "demo-county")]
    growing, listed = [], set()
    for url in _page_routes():
        for user in users:
            client = client_for(user)
            client.get(url)
            few, short, _ = _page_queries(client, url, 1)
            many, long, sql = _page_queries(client, url, 50)
            if many < 2:
                continue
            listed.add(url)
            if long != short:
                growing.append(_growing(url, (few, short), (many, long), sql))
    assert growing == [], "\n".join(growing)
    # The demo fills the main lists, so that each of them was compared.
    assert {"/premises/", "/quarantine/", "/quarantine/certificates/", "/alerts/"} <= listed, listed
