"""Movement restrictions (封锁/限制移动): placed by the county on a premises, a township or a
radius, they stop declarations and certificates from and to what they cover until lifted."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import AuditEvent, OutboxEvent
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Restriction
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    DeclarationRefused,
    declaration_decide,
    declaration_inspect,
)


def _place(user: User, **body: Any) -> Any:
    return client_for(user).post(
        "/api/v1/restrictions",
        {"reason": "非洲猪瘟疫点", **body},
        content_type="application/json",
    )


def _problems(error: BusinessError) -> str:
    return json.dumps(error.detail, ensure_ascii=False)


def test_a_restricted_farm_declares_nothing_until_the_restriction_is_lifted(
    declared: Callable[..., Declaration],
    ready_farm: Premises,
    county_officer: User,
    station_officer: User,
    vet: User,
) -> None:
    # A declaration accepted and inspected before the restriction: its certificate is refused.
    before = declared(numbers=f"{pig(11)}-{pig(12)}", quantity=2)
    declaration_decide(actor=station_officer, declaration=before, accept=True)
    declaration_inspect(actor=vet, declaration=before, passed=True)
    placed = _place(county_officer, kind="premises", premises=ready_farm.code, investigation="DC1")
    assert placed.status_code == 201, placed.json()
    body = placed.json()
    assert (body["kind"], body["premises"], body["county"], body["lifted_at"]) == (
        "premises",
        ready_farm.code,
        "220102",
        None,
    )
    with pytest.raises(DeclarationRefused) as refused:
        declared()
    assert "本场处于移动限制之中" in _problems(refused.value)
    assert "非洲猪瘟疫点" in _problems(refused.value)
    with pytest.raises(BusinessError) as stopped:
        certificate_issue(actor=vet, declaration=before)
    assert "本场处于移动限制之中" in json.dumps(stopped.value.detail, ensure_ascii=False)
    listed = client_for(county_officer).get("/api/v1/restrictions?active=true").json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]

    lift = client_for(county_officer).post(
        f"/api/v1/restrictions/{body['id']}/lift",
        {"reason": "解除封锁"},
        content_type="application/json",
    )
    assert lift.status_code == 200 and lift.json()["lift_reason"] == "解除封锁"
    again = client_for(county_officer).post(
        f"/api/v1/restrictions/{body['id']}/lift",
        {"reason": "再次解除"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["message"] == "该限制已经解除。"
    assert client_for(county_officer).get("/api/v1/restrictions?active=true").json()["count"] == 0
    assert declared().status == Declaration.Status.SUBMITTED
    events = list(
        OutboxEvent.objects.filter(aggregate=f"restriction:{body['id']}").values_list(
            "event_type", flat=True
        )
    )
    assert events == ["restriction.placed", "restriction.lifted"]
    assert AuditEvent.objects.filter(action__startswith="restriction.").count() == 2


def test_a_restricted_township_or_radius_stops_animals_going_there_or_leaving_it(
    declared: Callable[..., Declaration],
    ready_farm: Premises,
    make_premises: Any,
    county_officer: User,
) -> None:
    # Animals for 南岭街道's slaughterhouse cannot go while 南岭街道 is closed.
    slaughterhouse = make_premises(kind="slaughterhouse", township="220102002", stock={})
    closed = _place(county_officer, kind="township", township="220102002")
    assert closed.status_code == 201, closed.json()
    with pytest.raises(DeclarationRefused) as refused:
        declared(destination_region="220102002", destination_premises=slaughterhouse.code)
    assert "目的地处于移动限制之中" in _problems(refused.value)
    # A radius of 3 km around a farm with coordinates covers 南岭生猪场, 1.1 km away.
    Premises.objects.filter(pk=ready_farm.pk).update(latitude="43.880000", longitude="125.350000")
    centre = make_premises(name="疫点", township="220102002")
    Premises.objects.filter(pk=centre.pk).update(latitude="43.890000", longitude="125.350000")
    around = _place(county_officer, kind="radius", premises=centre.code, radius_km="3")
    assert around.status_code == 201, around.json()
    with pytest.raises(DeclarationRefused) as inside:
        declared()
    assert "本场处于移动限制之中" in _problems(inside.value)
    Restriction.objects.filter(pk=around.json()["id"]).update(radius_km=Decimal("1.0"))
    assert declared().status == Declaration.Status.SUBMITTED


def test_restrictions_are_the_countys_and_say_what_is_wrong(
    ready_farm: Premises, make_user: MakeUser, outsider: User, county_officer: User
) -> None:
    # No coordinates: no radius around it.
    no_place = _place(county_officer, kind="radius", premises=ready_farm.code, radius_km="3")
    assert no_place.status_code == 400
    assert "没有坐标" in no_place.json()["detail"]["fields"]["premises"][0]
    no_reason = _place(county_officer, kind="township", township="220102001", reason=" ")
    assert no_reason.json()["detail"]["fields"]["reason"] == ["请填写原因。"]
    too_wide = _place(county_officer, kind="radius", premises=ready_farm.code, radius_km="80")
    assert too_wide.status_code == 400
    # Another county's officer finds no such premises; a vaccinator may not place one.
    assert _place(outsider, kind="premises", premises=ready_farm.code).status_code == 404
    vaccinator = make_user("220102001", (Role.VACCINATOR,))
    assert _place(vaccinator, kind="township", township="220102001").status_code == 403
    mine = _place(county_officer, kind="township", township="220102001").json()
    assert client_for(outsider).get("/api/v1/restrictions").json()["count"] == 0
    lift = client_for(outsider).post(
        f"/api/v1/restrictions/{mine['id']}/lift",
        {"reason": "x"},
        content_type="application/json",
    )
    assert lift.status_code == 404
    assert client_for(None).get("/api/v1/restrictions").status_code == 401


def test_the_county_places_and_lifts_a_restriction_on_its_page(
    ready_farm: Premises, county_officer: User
) -> None:
    client = client_for(county_officer)
    page = client.get("/premises/restrictions/").content.decode()
    assert "暂无移动限制" in page
    client.post(
        "/premises/restrictions/",
        {"kind": "premises", "premises": ready_farm.code, "reason": "疑似疫情"},
    )
    restriction = Restriction.objects.get()
    page = client.get("/premises/restrictions/").content.decode()
    assert "疑似疫情" in page and "生效中" in page
    client.post(f"/premises/restrictions/{restriction.pk}/lift", {"reason": "排除疫情"})
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None and restriction.lift_reason == "排除疫情"
    assert "已解除" in client.get("/premises/restrictions/").content.decode()


def test_the_checkpoint_sees_a_restriction_over_the_certificates_places(
    certified_to: Callable[..., Any],
    make_premises: Any,
    make_user: MakeUser,
    county_officer: User,
) -> None:
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    certificate = certified_to(farm)
    officer = make_user("220102", (Role.CHECKPOINT_OFFICER,))
    client = client_for(officer)

    def check() -> Any:
        return client.post(
            "/api/v1/checkpoint-checks",
            {"number": certificate.number, "place": "G1 长春南"},
            content_type="application/json",
        ).json()

    assert check()["restriction"] is None
    # The destination farm is closed after the certificate was issued.
    _place(county_officer, kind="premises", premises=farm.code, reason="疫点封锁")
    seen = check()
    assert seen["result"] == "valid" and seen["restriction"]["reason"] == "疫点封锁"
    page = client.post(
        "/checkpoint/", {"code": certificate.number, "place": "G1 长春南"}, follow=True
    ).content.decode()
    assert "处于移动限制之中" in page and "疫点封锁" in page
