"""A checkpoint compares what the officer sees with the certificate, and a restriction placed
after issue reaches what is already on the road: one result by precedence, every other finding
beside it, the counties alerted, the receipt held until the destination county decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.movements.models import Alert, CheckpointCheck, RestrictionOverride
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.certificates import certificate_revoke


@pytest.fixture
def officer(make_user: MakeUser) -> User:
    return make_user("220113", (Role.CHECKPOINT_OFFICER,), username="jiutai-checkpoint")


@pytest.fixture
def kuancheng_farm(make_premises: Any) -> Premises:
    return make_premises(name="宽城育肥场", township="220103002", stock={"pig": 0})


@pytest.fixture
def on_the_road(certified_to: Callable[..., Certificate], kuancheng_farm: Premises) -> Certificate:
    """南岭生猪场's pigs 1–10, plate 吉A12345, sent to 宽城育肥场 in 宽城区."""
    return certified_to(kuancheng_farm)


def _check(user: User, certificate: Certificate, **seen: Any) -> Any:
    return client_for(user).post(
        "/api/v1/checkpoint-checks",
        {"number": certificate.number, "place": "九台收费站", **seen},
        content_type="application/json",
    )


def _restrict(county_officer: User, premises: Premises) -> None:
    placed = client_for(county_officer).post(
        "/api/v1/restrictions",
        {"kind": "premises", "premises": premises.code, "reason": "非洲猪瘟疫点"},
        content_type="application/json",
    )
    assert placed.status_code == 201, placed.json()


def test_what_the_officer_saw_is_compared_with_the_certificate(
    officer: User, on_the_road: Certificate
) -> None:
    checked = _check(
        officer,
        on_the_road,
        vehicle_plate="吉B99999",
        animals_seen=9,
        tags_read=f"{pig(1)} {pig(50)}",
        disinfected=False,
    )
    assert checked.status_code == 201, checked.json()
    answer = checked.json()
    assert answer["result"] == "mismatch"
    assert [f["message"] for f in answer["findings"]] == [
        "车牌 吉B99999，检疫证明所列为 吉A12345。",
        "清点 9 头（只），检疫证明为 10 头（只）。",
        f"不在检疫证明上的耳标：{pig(50)}。",
        "车辆未在本通道消毒。",
    ]
    # The origin county (南关区) and the destination county (宽城区) are both alerted.
    alerts = Alert.objects.filter(kind="check_mismatch", certificate=on_the_road)
    assert sorted(alerts.values_list("county_id", flat=True)) == ["220102", "220103"]
    assert "车牌 吉B99999" in alerts.first().message  # type: ignore[union-attr]
    page = client_for(officer).get(f"/checkpoint/?check={CheckpointCheck.objects.get().pk}")
    text = page.content.decode()
    assert "不符" in text and "清点 9 头（只）" in text
    # What matches raises nothing.
    matching = _check(
        officer, on_the_road, vehicle_plate="吉a12345", animals_seen=10, tags_read=pig(3)
    )
    assert (matching.json()["result"], matching.json()["findings"]) == ("valid", [])
    assert Alert.objects.filter(kind="check_mismatch").count() == 2


def test_one_result_by_precedence_and_every_other_finding_beside_it(
    officer: User, on_the_road: Certificate, vet: User, county_officer: User
) -> None:
    _restrict(county_officer, on_the_road.premises)
    restricted = _check(officer, on_the_road, animals_seen=9).json()
    assert restricted["result"] == "restricted"
    assert [f["code"] for f in restricted["findings"]] == ["head"]
    certificate_revoke(actor=vet, certificate=on_the_road, reason="车辆变更")
    revoked = _check(officer, on_the_road, animals_seen=9).json()
    assert revoked["result"] == "revoked"
    assert [f["code"] for f in revoked["findings"]] == ["restricted", "head"]
    assert revoked["findings"][0]["message"].startswith("启运地自 ")


def test_a_restriction_after_issue_holds_the_animals_until_the_destination_decides(
    officer: User,
    on_the_road: Certificate,
    county_officer: User,
    make_user: MakeUser,
    kuancheng_farm: Premises,
) -> None:
    _restrict(county_officer, on_the_road.premises)
    answer = _check(officer, on_the_road).json()
    assert answer["result"] == "restricted"
    assert answer["restriction"]["reason"] == "非洲猪瘟疫点"
    assert Alert.objects.filter(kind="restricted", county_id="220102").count() == 1
    # On the phone's snapshot too, for checks with no connection.
    snapshot = client_for(officer).get("/api/v1/checkpoint-checks/snapshot").json()
    assert [entry["number"] for entry in snapshot["restricted"]] == [on_the_road.number]

    receiver = make_user("220103", (Role.DESTINATION_STAFF, Role.COUNTY_OFFICER))

    def arrive() -> Any:
        return client_for(receiver).post(
            "/api/v1/arrivals",
            {
                "certificate": on_the_road.number,
                "premises": kuancheng_farm.code,
                "tags": f"{pig(1)}-{pig(10)}",
            },
            content_type="application/json",
        )

    held = arrive()
    assert (held.status_code, held.json()["code"]) == (422, "certificate_restricted")
    assert "须由到达地县级机构登记准予接收及理由后方可接收" in held.json()["message"]
    # The origin county cannot let them in at the destination; the destination county can.
    url = f"/api/v1/certificates/{on_the_road.number}/restriction-override"
    body = {"reason": "已隔离观察，经检测为阴性"}
    by_origin = client_for(county_officer).post(url, body, content_type="application/json")
    assert by_origin.status_code == 403
    decided = client_for(receiver).post(url, body, content_type="application/json")
    assert decided.status_code == 201, decided.json()
    again = client_for(receiver).post(url, body, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "no_restriction")
    assert RestrictionOverride.objects.count() == 1
    assert Alert.objects.filter(kind="restricted", county_id="220102").count() == 2
    assert arrive().status_code == 201


def test_the_certificate_page_offers_the_override_to_the_destination_county(
    on_the_road: Certificate, county_officer: User, make_user: MakeUser
) -> None:
    receiver = make_user("220103", (Role.COUNTY_OFFICER,))
    client = client_for(receiver)
    page = f"/quarantine/certificates/{on_the_road.number}/"
    assert "限制期间准予接收" not in client.get(page).content.decode()
    _restrict(county_officer, on_the_road.premises)
    assert "限制期间准予接收" in client.get(page).content.decode()
    form = f"/quarantine/certificates/{on_the_road.number}/override"
    assert "非洲猪瘟疫点" in client.get(form).content.decode()
    done = client.post(form, {"reason": "已隔离观察"}, follow=True).content.decode()
    assert "已登记准予接收" in done
    assert "已隔离观察" in client.get(form).content.decode()


def test_another_province_s_certificate_that_differs_is_reported_to_its_issuer(
    officer: User,
) -> None:
    from earmark.audit.models import OutboxEvent
    from earmark.movements.tests.test_foreign_arrival_refusals import _stored

    _stored("231260000021")
    answer = _check(officer, Certificate(number="231260000021"), animals_seen=4).json()
    assert (answer["result"], [f["code"] for f in answer["findings"]]) == ("mismatch", ["head"])
    told = OutboxEvent.objects.get(event_type="alert.raised")
    assert (told.payload["origin_province"], told.payload["problems"]) == ("230000", ["mismatch"])
    assert told.payload["message"] == (
        "检疫证明 231260000021 在 九台收费站 查验：清点 4 头（只），检疫证明为 5 头（只）。"
    )
