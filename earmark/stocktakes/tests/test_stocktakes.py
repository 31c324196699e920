"""The farm stocktake (盘点): what is on the premises against the ledger and the tagged animals,
every difference with its cause and its step; the county's approval is the one hand change of a
balance; the county reads the reconciliation of its townships."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Stock, StockChange
from earmark.immunization.models import ImmunizationRecord
from earmark.stocktakes.models import Stocktake


def _count(user: User, premises: Premises, counted: int, tags: str = "", **more: Any) -> Any:
    return client_for(user).post(
        "/api/v1/stocktakes",
        {"premises": premises.code, "species": "pig", "counted": counted, "tags": tags, **more},
        content_type="application/json",
    )


def test_every_difference_comes_with_its_cause_and_its_step(
    vaccinate: Callable[..., ImmunizationRecord],
    stocked_vaccinator: User,
    pig_farm: Premises,
    make_premises: Any,
) -> None:
    """南岭生猪场: 50 on the ledger, pigs 1–10 tagged here; pig 11 tagged on another farm."""
    vaccinate(f"{pig(1)}-{pig(10)}", timezone.localdate() - timedelta(days=20))
    elsewhere = make_premises(name="邻场", township="220102001", stock={"pig": 5})
    vaccinate(pig(11), timezone.localdate() - timedelta(days=20), premises=elsewhere)
    # 46 counted; tags read: pigs 1–8 (9 and 10 not seen), pig 11 (another farm's), pig 12
    # (never applied).
    answer = _count(stocked_vaccinator, pig_farm, 46, f"{pig(1)}-{pig(8)} {pig(11)} {pig(12)}")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["balance"], body["tagged"], body["adjustment"], body["status"]) == (
        50,
        10,
        -4,
        "to_approve",
    )
    assert [(d["kind"], d["count"], d["tags"]) for d in body["differences"]] == [
        ("not_seen", 2, f"{pig(9)}-{pig(10)}"),
        ("elsewhere", 1, pig(11)),
        ("unapplied", 1, pig(12)),
        ("untagged", 36, ""),
        ("ledger", -4, ""),
    ]
    assert body["differences"][0]["cause"] == "在本场佩标但未见到：死亡、无证售出或耳标脱落。"
    assert body["differences"][0]["action"] == "登记死亡、补标，或向县级报告售出情况。"
    # The ledger has not moved: a stocktake proposes, the county decides.
    assert Stock.objects.get(premises=pig_farm).quantity == 50


def test_the_county_approves_and_only_then_the_ledger_moves(
    vaccinate: Callable[..., ImmunizationRecord],
    stocked_vaccinator: User,
    pig_farm: Premises,
    county_officer: User,
    township_officer: User,
) -> None:
    vaccinate(f"{pig(1)}-{pig(10)}", timezone.localdate() - timedelta(days=20))
    low = _count(stocked_vaccinator, pig_farm, 8).json()["number"]
    ok = _count(stocked_vaccinator, pig_farm, 44, f"{pig(1)}-{pig(10)}").json()["number"]
    url = "/api/v1/stocktakes/{}/approve"
    by_township = client_for(township_officer).post(
        url.format(ok), {"note": "复核无误"}, content_type="application/json"
    )
    assert by_township.status_code == 403
    # Fewer than the 10 tagged pigs recorded: their deaths are recorded first.
    refused = client_for(county_officer).post(
        url.format(low), {"note": "复核"}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "stock_below_tagged")
    approved = client_for(county_officer).post(
        url.format(ok), {"note": "复核无误"}, content_type="application/json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert Stock.objects.get(premises=pig_farm).quantity == 44
    row = StockChange.objects.filter(premises=pig_farm).first()
    assert (row.delta, row.reason, row.document_type, row.document_id) == (  # type: ignore[union-attr]
        -6,
        "correction",
        "stocktake",
        ok,
    )
    again = client_for(county_officer).post(
        url.format(ok), {"note": "再次"}, content_type="application/json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "stocktake_not_open")


def test_a_count_that_matches_has_nothing_to_approve(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    body = _count(stocked_vaccinator, pig_farm, 50).json()
    assert body["status"] == "matched"
    assert [d["kind"] for d in body["differences"]] == ["untagged"]
    stale = _count(
        stocked_vaccinator,
        pig_farm,
        50,
        taken_on=(timezone.localdate() - timedelta(days=40)).isoformat(),
    )
    assert (stale.status_code, stale.json()["code"]) == (400, "invalid_input")
    assert stale.json()["detail"]["fields"]["taken_on"] == ["盘点日期：今天或最近 30 天内。"]


def test_the_county_reads_the_reconciliation_of_its_townships(
    stocked_vaccinator: User,
    pig_farm: Premises,
    make_premises: Any,
    county_officer: User,
    outsider: User,
) -> None:
    make_premises(name="未盘点场", township="220102001")
    make_premises(name="另一镇场", township="220102002")
    _count(stocked_vaccinator, pig_farm, 47)
    _count(stocked_vaccinator, pig_farm, 50)
    client = client_for(county_officer)

    def read() -> tuple[int, list[dict[str, Any]]]:
        with CaptureQueriesContext(connection) as queries:
            rows = client.get("/api/v1/stocktakes/reconciliation").json()["townships"]
        return len(queries), rows

    few, _rows = read()
    for n in range(3):
        make_premises(name=f"又一场{n}", township=f"22010200{n + 3}")
    many, rows = read()
    # The same number of queries however many townships and premises.
    assert few == many
    by_township = {r["township"]: r for r in rows}
    nanling = by_township["220102001"]
    assert (nanling["premises"], nanling["stocktaken"], nanling["never"]) == (2, 1, 1)
    assert (nanling["stocktakes"], nanling["with_differences"], nanling["unexplained"]) == (
        2,
        2,
        3,
    )
    assert by_township["220102002"]["never"] == 1
    theirs = client_for(outsider).get("/api/v1/stocktakes/reconciliation").json()["townships"]
    assert not [r for r in theirs if r["township"].startswith("220102")]
    assert client_for(outsider).get("/api/v1/stocktakes").json()["count"] == 0
    assert Stocktake.objects.count() == 2
    page = client_for(county_officer).get("/stocktakes/").content.decode()
    assert "南岭街道" in page and "从未盘点：1" in page


def test_a_count_the_ledger_does_not_explain_is_an_anomaly_of_the_county(
    stocked_vaccinator: User, pig_farm: Premises, county_officer: User
) -> None:
    number = _count(stocked_vaccinator, pig_farm, 41).json()["number"]
    found = client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    gaps = [a for a in found if a["kind"] == "stocktake_unexplained"]
    assert gaps and gaps[0]["evidence"] == [f"{number} · 南岭生猪场 · 清点 41，台账 50"]
