"""Concurrent requests: one winner, nothing half-done, an unbroken audit chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.models import Agency, Role, User, Vaccinator
from earmark.accounts.services import user_create
from earmark.audit.selectors import audit_chain_verify
from earmark.core.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


def _race(count: int, attempt: Callable[[int], Any]) -> list[Any]:
    """Run ``attempt(i)`` in ``count`` threads that surely overlap: the first holds its
    transaction open, its audit event written, until the others wait on it."""
    return race(
        [lambda i=i: attempt(i) for i in range(count)],
        hold="earmark.accounts.services.audit_record",
    )


def test_two_officers_giving_out_the_same_vaccinator_number_leave_one_winner() -> None:
    township = Agency.objects.get(region_id="220102001")

    def attempt(i: int) -> str:
        user_create(
            actor=None,
            agency=township,
            username=f"racer{i}",
            password="a-long-password-1",
            roles=[Role.VACCINATOR],
            vaccinator_number="09",
        )
        return "created"

    results = _race(2, attempt)
    assert results.count("created") == 1, results
    assert Vaccinator.objects.filter(county_id="220102", number="09").count() == 1
    # The loser left no account behind without its number.
    assert User.objects.filter(username__startswith="racer").count() == 1
    assert audit_chain_verify().ok


def test_concurrent_writers_keep_one_unbroken_audit_chain() -> None:
    agency = Agency.objects.get(region_id="220113")

    def attempt(i: int) -> str:
        user_create(
            actor=None,
            agency=agency,
            username=f"writer{i}",
            password="a-long-password-1",
            roles=[Role.CHECKPOINT_OFFICER],
        )
        return "created"

    assert _race(6, attempt) == ["created"] * 6
    report = audit_chain_verify()
    assert report.ok, report.broken
