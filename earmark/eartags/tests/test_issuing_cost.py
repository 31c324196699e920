"""Issuing reads only the rows it touches, and the inventory page sums holdings in the database:
neither grows with the number of ranges a holder keeps."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from django.db import connection
from django.test.utils import CaptureQueriesContext

from earmark.accounts.models import Agency, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import Register
from earmark.eartags.holders import Holder
from earmark.eartags.models import Holding
from earmark.eartags.services.issuing import Selection, tags_issue


def _scattered(register: Register, ranges: int, start: int) -> None:
    """``ranges`` registered ranges of 5 numbers each, 5 apart, from serial ``start``."""
    register(*((start + 10 * n, start + 10 * n + 4, f"B{n}", "01") for n in range(ranges)))


def _issue_queries(actor: User, station: Agency, **selection: object) -> tuple[int, int]:
    """How many queries one issue runs, and how many holding rows it reads."""
    read = []
    original = Holding.from_db

    def from_db(*args: Any, **kwargs: Any) -> Holding:
        read.append(1)
        return original(*args, **kwargs)

    with (
        patch.object(Holding, "from_db", from_db),
        CaptureQueriesContext(connection) as captured,
    ):
        issue = tags_issue(
            actor=actor,
            target=Holder(agency=station),
            species="pig",
            selection=Selection(**selection),  # type: ignore[arg-type]
        )
    assert issue.count
    return len(captured.captured_queries), len(read)


def test_an_issue_costs_the_same_from_ten_ranges_or_from_four_hundred(
    county_officer: User, register: Register, station: Agency
) -> None:
    _scattered(register, 10, 1)
    # The year's first issue also starts its number sequence: not measured.
    _issue_queries(county_officer, station, count=1)
    small = _issue_queries(county_officer, station, count=12)
    small_typed = _issue_queries(county_officer, station, ranges="122010200000051-122010200000055")
    _scattered(register, 390, 100_001)
    assert Holding.objects.filter(agency__region_id="220102").count() > 390
    large = _issue_queries(
        county_officer, station, count=13
    )  # another count: the same one within a minute is a repeat
    large_typed = _issue_queries(county_officer, station, ranges="122010200100001-122010200100005")
    assert (large, large_typed) == (small, small_typed)
    # A count reads a first page of rows; typed numbers, the row that holds them.
    assert large[1] <= 8 and large_typed[1] == 1


def test_the_lowest_numbers_are_read_a_page_at_a_time(
    county_officer: User, register: Register, station: Agency
) -> None:
    """A count larger than a page of rows still takes exactly the lowest numbers."""
    _scattered(register, 250, 1)
    tags_issue(
        actor=county_officer,
        target=Holder(agency=station),
        species="pig",
        selection=Selection(count=1_003),
    )
    moved = sorted(Holding.objects.filter(agency=station).values_list("first", "last"))
    assert sum(b - a + 1 for a, b in moved) == 1_003
    left = Holding.objects.filter(agency__region_id="220102").order_by("first").first()
    assert left is not None and left.first > moved[-1][1]


def test_the_inventory_page_runs_the_same_queries_for_two_holders_or_thirty(
    county_officer: User, register: Register
) -> None:
    register((1, 30_000, "A", "01"))
    stations = list(Agency.objects.filter(region__parent_id="220102")[:30])
    tags_issue(
        actor=county_officer,
        target=Holder(agency=stations[0]),
        species="pig",
        selection=Selection(count=10),
    )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client_for(county_officer).get("/tags/")
        assert response.status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for agency in stations[1:]:
        tags_issue(
            actor=county_officer,
            target=Holder(agency=agency),
            species="pig",
            selection=Selection(count=10),
        )
    assert len(stations) >= 10
    assert queries() == few
