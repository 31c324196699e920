from __future__ import annotations

from typing import Any

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_can_declare


def _verify(user: User, code: str) -> Any:
    return client_for(user).post(f"/api/v1/premises/{code}/verify")


def test_a_county_officer_verifies_and_the_farm_may_then_declare(
    county_officer: User, make_premises: Any
) -> None:
    premises = make_premises()
    assert premises_can_declare(premises=premises).reasons == ["县级机构尚未审核基础信息。"]
    response = _verify(county_officer, premises.code)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "verified"
    assert body["can_declare"] is True
    premises.refresh_from_db()
    assert premises.verified_by == county_officer
    assert premises.verified_at is not None


def test_a_township_officer_cannot_verify(township_officer: User, make_premises: Any) -> None:
    premises = make_premises()
    assert _verify(township_officer, premises.code).status_code == 403
    premises.refresh_from_db()
    assert premises.status == Premises.Status.TO_VERIFY


def test_incomplete_premises_cannot_be_verified(county_officer: User, make_premises: Any) -> None:
    premises = make_premises(phone="", address="")
    response = _verify(county_officer, premises.code)
    assert response.status_code == 422
    assert response.json()["message"] == "基础信息不完整：手机号、地址。"


def test_changing_a_key_field_sends_it_back_to_verification(
    county_officer: User, make_premises: Any
) -> None:
    premises = make_premises()
    _verify(county_officer, premises.code)
    client = client_for(county_officer)
    url = f"/api/v1/premises/{premises.code}"
    same = client.patch(url, {"name": "新名称", "scale": 500}, content_type="application/json")
    assert same.json()["status"] == "verified"
    for change in (
        {"owner_name": "赵六"},
        {"phone": "13900000001"},
        {"species": ["pig", "sheep"]},
        {"township": "220102002"},
    ):
        _verify(county_officer, premises.code)
        changed = client.patch(url, change, content_type="application/json")
        assert changed.status_code == 200, changed.json()
        assert changed.json()["status"] == "to_verify", change
        assert changed.json()["can_declare"] is False


def test_a_species_with_animals_cannot_be_dropped(county_officer: User, make_premises: Any) -> None:
    premises = make_premises(stock={"pig": 10, "sheep": 0})
    client = client_for(county_officer)
    url = f"/api/v1/premises/{premises.code}"
    refused = client.patch(url, {"species": ["sheep"]}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"]["fields"]["species"] == ["仍有存栏的畜种不能删除：猪。"]
    dropped = client.patch(url, {"species": ["pig"]}, content_type="application/json")
    assert [s["species"] for s in dropped.json()["stock"]] == ["pig"]


def test_slaughterhouses_do_not_declare(make_premises: Any, county_officer: User) -> None:
    premises = make_premises(kind="slaughterhouse", stock={})
    _verify(county_officer, premises.code)
    premises.refresh_from_db()
    assert premises_can_declare(premises=premises).reasons == [
        "只有养殖场、养殖户和交易市场可以申报检疫；此处为屠宰场。"
    ]
