"""Every premises endpoint and page refuses no user and another county's user."""

from __future__ import annotations

from typing import Any

from earmark.accounts.models import User
from earmark.core.testing import assert_guarded, client_for
from earmark.farms.models import Premises


def test_every_endpoint_and_page_is_guarded(
    county_officer: User, outsider: User, make_premises: Any
) -> None:
    premises = make_premises()
    code = premises.code
    stock_change = {"species": "pig", "delta": 1, "reason": "birth"}
    for method, url, data in (
        ("get", f"/api/v1/premises/{code}", None),
        ("patch", f"/api/v1/premises/{code}", {"name": "x"}),
        ("post", f"/api/v1/premises/{code}/verify", None),
        ("get", f"/api/v1/premises/{code}/stock", None),
        ("get", f"/api/v1/premises/{code}/stock-changes", None),
        ("post", f"/api/v1/premises/{code}/stock-changes", stock_change),
        ("get", f"/api/v1/premises/{code}/qr/png", None),
        ("get", f"/api/v1/premises/{code}/qr/svg", None),
        ("get", f"/api/v1/premises/{code}/card/pdf", None),
        ("post", f"/api/v1/premises/{code}/pin", None),
        ("post", f"/api/v1/premises/{code}/rotate-qr", None),
        ("get", f"/premises/{code}/", None),
        ("get", f"/premises/{code}/edit", None),
        ("post", f"/premises/{code}/edit", {"name": "x"}),
        ("post", f"/premises/{code}/verify", None),
        ("post", f"/premises/{code}/stock", stock_change),
        ("get", f"/premises/{code}/ledger", None),
        ("post", f"/premises/{code}/pin", None),
        ("post", f"/premises/{code}/rotate-qr", None),
    ):
        assert_guarded(method, url, outsider=outsider, data=data)
    premises.refresh_from_db()
    assert premises.name.startswith("测试养殖场")
    assert premises.status == Premises.Status.TO_VERIFY
    assert premises.pin_hash == ""


def test_lists_and_files_hold_only_the_users_jurisdiction(
    county_officer: User, outsider: User, make_premises: Any
) -> None:
    mine = make_premises(name="南关猪场")
    make_premises(name="宽城猪场", township="220103002")
    for url in ("/api/v1/premises", "/premises/", "/api/v1/premises/xlsx"):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)
    names = [p["name"] for p in client_for(county_officer).get("/api/v1/premises").json()["items"]]
    assert names == ["南关猪场"]
    foreign = client_for(outsider).get("/api/v1/premises?text=南关").json()
    assert foreign == {"items": [], "count": 0}
    assert mine.name not in client_for(outsider).get("/premises/?text=南关").content.decode()
    for url in ("/api/v1/premises/template/xlsx", "/premises/import", "/premises/baseinfo/"):
        assert client_for(None).get(url).status_code in (401, 302)


def test_the_list_filters_by_kind_species_status_and_text(
    county_officer: User, make_premises: Any
) -> None:
    make_premises(name="甲猪场", stock={"pig": 1})
    make_premises(name="乙牛户", kind="household", stock={"cattle": 1}, phone="")
    client = client_for(county_officer)

    def names(query: str) -> list[str]:
        return [p["name"] for p in client.get(f"/api/v1/premises?{query}").json()["items"]]

    assert names("species=cattle") == ["乙牛户"]
    assert names("kind=farm") == ["甲猪场"]
    assert names("status=incomplete") == ["乙牛户"]
    assert names("text=甲") == ["甲猪场"]
    assert names("region=220102002") == []
    page = client.get("/premises/?species=pig").content.decode()
    assert "甲猪场" in page and "乙牛户" not in page


def test_officers_register_edit_and_verify_in_the_web_pages(county_officer: User) -> None:
    client = client_for(county_officer)
    created = client.post(
        "/premises/new",
        {
            "kind": "farm",
            "name": "网页登记猪场",
            "owner_name": "钱七",
            "phone": "13700000007",
            "township": "220102003",
            "address": "民康村",
            "species": ["pig"],
            "stock_pig": "30",
        },
        follow=True,
    )
    text = created.content.decode()
    assert "养殖场户 220102000001 已登记。" in text
    assert "待审核" in text
    bad = client.post(
        "/premises/220102000001/edit",
        {"kind": "farm", "name": "x", "township": "220102003", "phone": "123"},
    )
    assert "请输入11位手机号码。" in bad.content.decode()
    verified = client.post("/premises/220102000001/verify", follow=True).content.decode()
    assert "基础信息已审核。" in verified
    assert Premises.objects.get().status == "verified"
    recorded = client.post(
        "/premises/220102000001/stock",
        {"species": "pig", "reason": "slaughter", "delta": "-40"},
        follow=True,
    ).content.decode()
    assert "猪存栏只有 30，不能减少 40" in recorded
