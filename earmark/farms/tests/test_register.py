from __future__ import annotations

from typing import Any
from unittest.mock import patch

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import AuditEvent
from earmark.core.testing import client_for
from earmark.farms.models import Premises, StockChange

FARM = {
    "kind": "farm",
    "name": "南岭生猪养殖场",
    "township": "220102001",
    "owner_name": "王大山",
    "phone": "13912345678",
    "id_card": "11010519491231002X",
    "address": "南岭村三社",
    "stock": {"pig": 300, "cattle": 0},
}


def _post(user: User, body: dict[str, Any]) -> Any:
    return client_for(user).post("/api/v1/premises", body, content_type="application/json")


def test_a_county_officer_registers_a_farm_with_its_county_code(county_officer: User) -> None:
    first = _post(county_officer, FARM)
    second = _post(county_officer, {**FARM, "name": "南岭第二养殖场"})
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["code"] == "220102000001"
    assert second.json()["code"] == "220102000002"
    assert body["status"] == "to_verify"
    assert body["id_card_masked"] == "110***********002X"
    assert "11010519491231002X" not in first.content.decode()
    assert {s["species"]: s["quantity"] for s in body["stock"]} == {"cattle": 0, "pig": 300}
    assert body["farm_page_url"].startswith("http://127.0.0.1:8000/f/")
    premises = Premises.objects.get(code="220102000001")
    initial = StockChange.objects.get(premises=premises)
    assert (initial.species, initial.delta, initial.reason) == ("pig", 300, "initial")
    assert AuditEvent.objects.filter(
        action="premises.register", object_id=str(premises.pk)
    ).exists()


def test_stock_goes_in_as_it_comes_out(county_officer: User) -> None:
    first = _post(county_officer, {**FARM, "stock": [{"species": "pig", "quantity": 300}]})
    assert first.status_code == 201, first.json()
    read = first.json()["stock"]
    assert read == [{"species": "pig", "quantity": 300}]
    again = _post(county_officer, {**FARM, "name": "南岭第二养殖场", "stock": read})
    assert again.json()["stock"] == read
    twice = _post(
        county_officer,
        {
            **FARM,
            "name": "南岭第三养殖场",
            "stock": [{"species": "pig", "quantity": 1}, {"species": "pig", "quantity": 2}],
        },
    )
    assert twice.status_code == 400
    assert twice.json()["detail"]["fields"]["body.payload.stock"] == ["pig 重复填写。"]


def test_missing_base_information_saves_an_incomplete_premises(township_officer: User) -> None:
    response = _post(
        township_officer, {"kind": "household", "name": "李四", "township": "220102001"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "incomplete"
    assert body["can_declare"] is False
    assert body["cannot_declare_because"] == [
        "基础信息不完整：负责人、手机号、地址、养殖种类和存栏。"
    ]


def test_every_wrong_value_is_reported_at_once_and_nothing_is_saved(county_officer: User) -> None:
    response = _post(
        county_officer,
        {
            **FARM,
            "kind": "zoo",
            "name": " ",
            "phone": "12345",
            "id_card": "110105194912310021",
            "stock": {"pig": -3, "horse": 1},
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "养殖场户信息未能保存。"
    assert body["detail"]["fields"] == {
        "kind": ["请选择养殖场户类型。"],
        "name": ["名称必填。"],
        "phone": ["请输入11位手机号码。"],
        "id_card": ["身份证号码无效（应为18位，校验位正确）。"],
        "stock.pig": ["请输入零或正整数头数。"],
        "stock": ["未知畜种：horse。"],
    }
    assert not Premises.objects.exists()


def test_premises_go_only_in_townships_of_the_users_jurisdiction(
    county_officer: User, township_officer: User
) -> None:
    other_county = _post(county_officer, {**FARM, "township": "220103002"})
    assert other_county.status_code == 400
    assert other_county.json()["detail"]["fields"]["township"] == ["站前街道不在您的辖区内。"]
    other_township = _post(township_officer, {**FARM, "township": "220102002"})
    assert other_township.status_code == 400
    not_a_township = _post(county_officer, {**FARM, "township": "220102"})
    assert not_a_township.json()["detail"]["fields"]["township"] == ["未知乡镇：220102。"]


def test_only_county_and_township_officers_register(make_user: MakeUser) -> None:
    vet = make_user("220102", (Role.OFFICIAL_VET,))
    response = _post(vet, FARM)
    assert response.status_code == 403
    assert not Premises.objects.exists()


def test_codes_are_never_reused(county_officer: User, make_premises: Any) -> None:
    # Premises with history cannot be deleted at all; even one without any is never replaced.
    make_premises(stock={})
    Premises.objects.all().delete()
    assert make_premises().code == "220102000002"


def test_a_county_whose_six_digit_codes_are_used_up_is_told_so(county_officer: User) -> None:
    with patch("earmark.farms.services.registration.sequence_take", return_value=1_000_000):
        refused = _post(county_officer, FARM)
    assert (refused.status_code, refused.json()["code"]) == (422, "premises_codes_exhausted")
    assert refused.json()["message"] == "本县养殖场户编码已用完。"
    assert not Premises.objects.exists()


def test_control_characters_and_overlong_names_are_refused_from_any_source(
    county_officer: User,
) -> None:
    """Through the form or a workbook as through the API: a NUL or another control character
    in a name would break every export of the region, and a name longer than its column would
    not be kept."""
    from earmark.farms.services.registration import PremisesData, premises_validate

    invisible = "不能包含控制字符或不可见的格式字符（文字方向标记、零宽空格）。"
    for name, expected in (
        ("宏达\x00猪场", invisible),
        # A text-direction override would make the name read backwards on a certificate (#34).
        ("宏达\u202e场猪", invisible),
        ("宏\u200b达猪场", invisible),
        ("长" * 101, "最多 100 个字符。"),
    ):
        errors = premises_validate(
            PremisesData(kind="farm", name=name, township="220102001"), user=county_officer
        )
        assert errors["name"] == expected
