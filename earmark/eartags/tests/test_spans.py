"""The range search answers exactly what a full scan would, on both databases, for tables of
disjoint rows and of overlapping rows of every width, and uses the indexes to do it."""

from __future__ import annotations

import random

from django.db import connection

from earmark.accounts.models import User
from earmark.eartags import spans
from earmark.eartags.models import RegisteredRange, Registration, TagEvent

BASE = 122_010_200_000_000


def _brute(rows: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> set[tuple[int, int]]:
    return {(f, t) for f, t in rows if any(f <= b and t >= a for a, b in ranges)}


def test_overlapping_rows_of_every_width_are_found_and_nothing_else(
    county_officer: User,
) -> None:
    rng = random.Random(5)
    rows = []
    for _ in range(400):
        width = 10 ** rng.randint(0, 7)
        first = BASE + rng.randint(0, 10**8)
        rows.append((first, first + rng.randint(0, width - 1)))
    TagEvent.objects.bulk_create(
        TagEvent(first=f, last=t, kind="issued", species="pig", county_code="220102")
        for f, t in rows
    )
    for _ in range(30):
        asked = []
        for _ in range(rng.randint(1, 40)):
            a = BASE + rng.randint(0, 10**8)
            asked.append((a, a + rng.choice([0, 0, 5, 1000, 10**6])))
        found = spans.overlapping(TagEvent.objects.all(), asked)
        assert {(e.first, e.last) for e in found} == _brute(rows, asked)
        assert [e.first for e in found] == sorted(e.first for e in found)
    number = rows[0][0]
    assert {(e.first, e.last) for e in spans.containing(TagEvent.objects.all(), number)} == (
        _brute(rows, [(number, number)])
    )


def test_disjoint_rows_are_found_from_the_one_before(county_officer: User) -> None:
    rng = random.Random(8)
    registration = Registration.objects.create(
        number="DJTEST",
        county_id="220102",
        source="form",
        count=0,
        created_by=county_officer,
    )
    rows, start = [], BASE
    for _ in range(300):
        start += rng.randint(1, 5000)
        last = start + rng.randint(0, 3000)
        rows.append((start, last))
        start = last
    RegisteredRange.objects.bulk_create(
        RegisteredRange(
            registration=registration,
            species="pig",
            first=f,
            last=t,
            county_code="220102",
            printed_county="220102",
        )
        for f, t in rows
    )
    for _ in range(30):
        asked = [
            (a, a + rng.choice([0, 3, 2000, 50_000]))
            for a in (BASE + rng.randint(-10, start - BASE) for _ in range(rng.randint(1, 60)))
        ]
        found = spans.overlapping(RegisteredRange.objects.all(), asked)
        assert {(r.first, r.last) for r in found} == _brute(rows, asked)


def test_the_search_uses_an_index_not_a_scan(db: None, django_user_model: type[User]) -> None:
    query = str(spans.containing(TagEvent.objects.all(), BASE).only("id").query)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {query}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "eartags_tagevent_range_gist" in plan, plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {query}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING INDEX eartags_tag_span" in plan and "SCAN eartags_tagevent" not in plan, (
                plan
            )
