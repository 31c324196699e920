"""Transport vehicles and livestock dealers are suspended and reinstated under one rule: only
the registering county, with a reason, once; each change goes to the platform and the audit."""

from __future__ import annotations

from typing import Any

import pytest

from earmark.accounts.models import User
from earmark.audit.models import AuditEvent, OutboxEvent
from earmark.core.testing import client_for

REGISTERS = {
    "vehicles": (
        {
            "plate": "吉A7D521",
            "owner_name": "孙师傅",
            "owner_phone": "13804310088",
            "capacity": 60,
            "documents": "吉交运管许可字220102001号",
        },
        "plate",
        "vehicle",
    ),
    "dealers": (
        {
            "name": "周长顺",
            "id_card": "220102198505053219",
            "phone": "13604310031",
            "counties": ["220103"],
        },
        "code",
        "dealer",
    ),
}


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_the_registering_county_suspends_and_reinstates_once_with_a_reason(
    register: str, county_officer: User, make_user: Any
) -> None:
    body, key, kind = REGISTERS[register]
    created = _post(county_officer, f"/{register}", **body)
    assert created.status_code == 201, created.json()
    path = f"/{register}/{created.json()[key]}"

    no_reason = _post(county_officer, f"{path}/suspend", reason=" ")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "invalid_input")
    assert no_reason.json()["detail"]["fields"]["reason"] == ["请填写原因。"]
    not_yet = _post(county_officer, f"{path}/reinstate")
    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "not_suspended")

    suspended = _post(county_officer, f"{path}/suspend", reason="未按规定消毒")
    assert (suspended.status_code, suspended.json()["status"]) == (200, "suspended")
    twice = _post(county_officer, f"{path}/suspend", reason="再次")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_suspended")
    # A dealer works in other counties too: they see him, but only his county acts.
    if register == "dealers":
        neighbour = make_user("220103", ("county_officer",), username="kuancheng-county")
        theirs = _post(neighbour, f"{path}/reinstate")
        assert (theirs.status_code, theirs.json()["code"]) == (403, "permission_denied")

    reinstated = _post(county_officer, f"{path}/reinstate")
    assert (reinstated.status_code, reinstated.json()["status"]) == (200, "active")
    events = list(
        OutboxEvent.objects.filter(event_type__startswith=f"{kind}.").values_list(
            "event_type", flat=True
        )
    )
    assert events == [f"{kind}.registered", f"{kind}.suspended", f"{kind}.reinstated"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {f"{kind}.suspend", f"{kind}.reinstate"} <= actions
