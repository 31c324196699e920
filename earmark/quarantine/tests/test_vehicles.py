"""Transport vehicles (运输车辆备案, #17): registered by the county; a declaration names one by
its plate — an unregistered one is flagged, a suspended one refused, at submission and again at
issue; the trace follows a vehicle to every premises it served."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.models import User
from earmark.audit.models import OutboxEvent
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Vehicle
from earmark.quarantine.fixtures import Certify
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect

TRUCK = {
    "plate": "吉a 7d521",
    "owner_name": "赵铁军",
    "owner_phone": "13704310021",
    "capacity": 60,
    "documents": "南农运备字2026第001号",
}


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


def test_the_county_registers_and_suspends_vehicles(county_officer: User, outsider: User) -> None:
    registered = _post(county_officer, "/vehicles", **TRUCK)
    assert registered.status_code == 201, registered.json()
    assert (registered.json()["plate"], registered.json()["status"]) == ("吉A7D521", "active")
    again = _post(outsider, "/vehicles", **{**TRUCK, "plate": "吉A7D521"})
    assert again.status_code == 409
    assert again.json()["detail"]["fields"]["plate"] == ["车辆 吉A7D521 已备案。"]
    bad = _post(county_officer, "/vehicles", **{**TRUCK, "plate": "A7D521", "owner_phone": "1"})
    assert set(bad.json()["detail"]["fields"]) == {"plate", "owner_phone"}
    assert client_for(outsider).get("/api/v1/vehicles").json()["count"] == 0
    suspend = "/vehicles/吉A7D521/suspend"
    assert _post(outsider, suspend, reason="x").status_code == 404
    suspended = _post(county_officer, suspend, reason="消毒不合格")
    assert (suspended.json()["status"], suspended.json()["suspended_reason"]) == (
        "suspended",
        "消毒不合格",
    )
    assert _post(county_officer, suspend, reason="再次").status_code == 409
    reinstated = _post(county_officer, "/vehicles/吉A7D521/reinstate")
    assert reinstated.json()["status"] == "active"
    # The register is shared with the national platform.
    shared = OutboxEvent.objects.filter(aggregate="vehicle:吉A7D521").order_by("id")
    assert [e.event_type for e in shared] == [
        "vehicle.registered",
        "vehicle.suspended",
        "vehicle.reinstated",
    ]
    page = client_for(county_officer).get("/premises/vehicles/").content.decode()
    assert "吉A7D521" in page and "赵铁军" in page


def test_declarations_link_registered_vehicles_flag_others_and_refuse_suspended_ones(
    county_officer: User,
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
) -> None:
    _post(county_officer, "/vehicles", **TRUCK)
    linked = declared(vehicle_plate="吉A·7D521", numbers=f"{pig(1)}-{pig(5)}", quantity=5)
    assert (linked.vehicle_plate, linked.vehicle_id) == (
        "吉A7D521",
        Vehicle.objects.get(plate="吉A7D521").pk,
    )
    foreign = declared(vehicle_plate="黑A12345", numbers=f"{pig(6)}-{pig(8)}", quantity=3)
    assert foreign.vehicle is None
    anomalies = client_for(county_officer).get("/api/v1/anomalies").json()["items"]
    flagged = next(a for a in anomalies if a["kind"] == "unregistered_vehicle")
    assert flagged["evidence"] == [f"{foreign.number} · {foreign.premises.name} · 黑A12345"]

    # Suspended after the declaration: no certificate; suspended before: no declaration.
    declaration_decide(actor=station_officer, declaration=linked, accept=True)
    declaration_inspect(actor=vet, declaration=linked, passed=True)
    _post(county_officer, "/vehicles/吉A7D521/suspend", reason="消毒不合格")
    with pytest.raises(BusinessError) as refusal:
        certificate_issue(actor=vet, declaration=linked)
    assert refusal.value.detail["fields"]["vehicle_plate"] == [
        "车辆 吉A7D521 的备案已暂停：消毒不合格"
    ]
    with pytest.raises(BusinessError):
        declared(vehicle_plate="吉A7D521", numbers=f"{pig(9)}-{pig(10)}", quantity=2)


def test_a_vehicle_is_traced_to_every_premises_it_served(
    county_officer: User, outsider: User, certify: Certify
) -> None:
    _post(county_officer, "/vehicles", **TRUCK)
    certificate = certify(vehicle_plate="吉A7D521")
    trace = client_for(county_officer).get("/api/v1/vehicles/吉A7D521/trace").json()
    assert [t["certificate"] for t in trace["trips"]] == [certificate.number]
    assert trace["premises"] == [[certificate.premises.code, certificate.premises.name]]
    assert trace["trips"][0]["delivered_to"] == certificate.destination
    assert trace["trips"][0]["disinfection"] == ""
    # The neighbour county sees no journey of 南关区's.
    theirs = client_for(outsider).get("/api/v1/vehicles/吉A7D521/trace").json()
    assert theirs["trips"] == []
    page = client_for(county_officer).get("/trace/vehicles/吉A7D521/").content.decode()
    assert certificate.premises.name in page and certificate.number in page
    assert "未记录消毒" in page
