"""Two writers meeting at the audit chain: no deadlock between the chain's lock and the rows a
commit checks, and where the database still breaks a tie, the API answers 409, never 500."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from psycopg.errors import DeadlockDetected

from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.core.testing import client_for
from earmark.farms.models import Premises, StockChange


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite writers take the database's one write lock at their start: they cannot cross",
)
def test_a_commit_holding_the_chain_never_waits_for_a_row_locked_by_the_next_writer(
    county_officer: User, make_premises: Any
) -> None:
    """The first writer inserts a row pointing at a premises (its key is checked later) and
    takes the chain; the second locks that premises and asks for the chain. Checked at commit,
    the first would wait for the second as the second waits for the first."""
    premises: Premises = make_premises(name="南岭生猪场", township="220102001", stock={"pig": 5})
    chained = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                StockChange.objects.create(
                    premises_id=premises.pk, species="pig", delta=1, balance=6, reason="birth"
                )
                audit_record(actor=county_officer, action="test.first", object_id="1")
                chained.set()
                # The second now waits: for the chain (holding the premises) or for the premises.
                _wait_for_a_waiter()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            chained.wait(10)
            with transaction.atomic():
                Premises.objects.select_for_update().get(pk=premises.pk)
                audit_record(actor=county_officer, action="test.second", object_id="2")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert StockChange.objects.filter(premises=premises, reason="birth").count() == 1


def _wait_for_a_waiter() -> None:
    """Until another transaction waits on a lock (at most 5 s): the overlap is forced."""
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)


@pytest.mark.django_db
def test_a_tie_the_database_broke_is_a_409_to_send_again(
    county_officer: User, make_premises: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    premises = make_premises(name="南岭生猪场", township="220102001", stock={"pig": 5})

    def deadlocked(**_kwargs: Any) -> None:
        raise OperationalError("deadlock detected") from DeadlockDetected("deadlock detected")

    monkeypatch.setattr("earmark.movements.api_stock.stock_entry", deadlocked)
    response = client_for(county_officer).post(
        f"/api/v1/premises/{premises.code}/stock-changes",
        {"species": "pig", "delta": 1, "reason": "birth"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "try_again"
    assert "再" in response.json()["message"]
