"""Every write is safe to repeat: the same Idempotency-Key (API) or one-time submission key
(forms) records nothing new and answers what the first request answered."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from earmark.accounts.models import User
from earmark.core.models import RequestKey
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import ImmunizationRecord


def _body(premises: Premises, numbers: str) -> dict[str, Any]:
    return {
        "premises": premises.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B1",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        "numbers": numbers,
    }


def _post(client: Client, body: dict[str, Any], key: str) -> Any:
    return client.post(
        "/api/v1/immunizations",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_the_same_key_and_body_records_once_and_answers_the_same(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    client = client_for(stocked_vaccinator)
    first = _post(client, _body(pig_farm, f"{pig(1)}-{pig(3)}"), "phone-7f3a-0001")
    again = _post(client, _body(pig_farm, f"{pig(1)}-{pig(3)}"), "phone-7f3a-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ImmunizationRecord.objects.count() == 1
    other = _post(client, _body(pig_farm, pig(4)), "phone-7f3a-0001")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    # A refusal is an answer too; a bad key is refused in the error shape.
    refused = _post(client, _body(pig_farm, pig(900)), "phone-7f3a-0002")
    assert _post(client, _body(pig_farm, pig(900)), "phone-7f3a-0002").json() == refused.json()
    bad = _post(client, _body(pig_farm, pig(5)), "short")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_idempotency_key")
    # Keys are the user's own: another user's identical key is another request.
    assert RequestKey.objects.filter(scope=f"user:{stocked_vaccinator.pk}").count() == 2


def test_a_form_sent_twice_saves_once_and_shows_what_was_saved(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    client = client_for(stocked_vaccinator)
    form = {
        "premises": pig_farm.code,
        "species": "pig",
        "vaccine": fmd_pig().pk,
        "batch_number": "B1",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        "vaccinated_on": "2026-01-01",
        "campaign": "routine",
        "numbers": f"{pig(1)}-{pig(2)}",
        "action": "confirm",
    }
    page = client.get("/immunize/").content.decode()
    [key] = re.findall(r'name="submission_key" value="([^"]+)"', page)
    form["vaccinated_on"] = re.findall(r'name="vaccinated_on" value="([^"]+)"', page)[0]
    first = client.post("/immunize/", {**form, "submission_key": key})
    assert first.status_code == 302 and "#saved=" in first["Location"]
    again = client.post("/immunize/", {**form, "submission_key": key}, follow=True)
    assert "该表单已提交过，未重复保存。" in again.content.decode()
    assert ImmunizationRecord.objects.count() == 1
    number = ImmunizationRecord.objects.get().number
    assert again.redirect_chain[-1][0].startswith(f"/immunize/records/{number}/")


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_leave_one_record(
    stocked_vaccinator: User, pig_farm: Premises, monkeypatch: Any
) -> None:
    """The first request holds its transaction open until the second is waiting on the key's
    row; then both finish: one record, two equal answers."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: the second waits its turn")
    from earmark.immunization.services import records

    original: Callable[..., Any] = records.immunization_record
    entered = threading.Event()
    waited = threading.Event()

    def held(**kwargs: Any) -> Any:
        entered.set()
        deadline = time.monotonic() + 20
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                # pg_locks is read live (pg_stat_activity is a snapshot per transaction).
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0] >= 1:
                    waited.set()
                    break
                time.sleep(0.05)
        return original(**kwargs)

    monkeypatch.setattr(records, "immunization_record", held)
    body = _body(pig_farm, f"{pig(1)}-{pig(3)}")
    answers: list[Any] = []

    def send() -> None:
        try:
            answers.append(_post(client_for(stocked_vaccinator), body, "phone-7f3a-0100"))
        finally:
            connection.close()

    first = threading.Thread(target=send)
    first.start()
    assert entered.wait(20)
    second = threading.Thread(target=send)
    second.start()
    first.join(30)
    second.join(30)
    assert waited.is_set(), "the second request never waited on the first"
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert ImmunizationRecord.objects.count() == 1
