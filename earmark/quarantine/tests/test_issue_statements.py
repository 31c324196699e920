"""A certificate costs the same few statements whatever its tags: the issue rate of #18 rests
on it (bench/run.py quarantine measures the rate itself)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from earmark.accounts.models import User
from earmark.eartags.fixtures import pig
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect

# Counted on PostgreSQL (SQLite runs a few fewer: no advisory lock, no constraint mode). One of
# them looks up the vehicle's registration (a suspended vehicle stops the certificate, #17).
MAX_STATEMENTS = 35


def _statements(declaration: Declaration, station_officer: User, vet: User) -> int:
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    with CaptureQueriesContext(connection) as captured:
        certificate_issue(actor=vet, declaration=declaration)
    return len(captured.captured_queries)


def test_a_certificate_runs_the_same_statements_for_two_tags_and_for_eight_scattered(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    # The year's first certificate also creates its number sequence: counted apart.
    _statements(declared(numbers=pig(20), quantity=1), station_officer, vet)
    two = _statements(declared(numbers=f"{pig(1)}-{pig(2)}", quantity=2), station_officer, vet)
    scattered = " ".join(pig(n) for n in range(3, 19, 2))
    eight = _statements(declared(numbers=scattered, quantity=8), station_officer, vet)
    assert two == eight, (two, eight)
    assert eight <= MAX_STATEMENTS
