"""Tags from designated makers, ordered by plan (Order 13 art. 10–12, 24): the province
designates makers and sets their yearly plans, a county orders a block of its own numbers
against a plan, a delivery fills an order, and its registration takes the block's numbers
only; a revoked maker takes no order and delivers nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Manufacturer, RegisteredRange, TagOrder
from earmark.eartags.services.makers import (
    ManufacturerData,
    manufacturer_register,
    order_place,
    plan_set,
)


def _post(user: User, path: str, **body: Any) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


def _problems(response: Any) -> dict[str, list[str]]:
    return response.json()["detail"]["fields"]


def test_the_province_designates_and_plans_and_the_county_orders_its_own_numbers(
    province_admin: User, county_officer: User, outsider: User
) -> None:
    today = timezone.localdate()
    maker = {
        "name": "吉林省耳标厂",
        "licence": "吉农标字第001号",
        "species": ["pig", "cattle"],
        "valid_from": date(today.year, 1, 1).isoformat(),
        "valid_until": date(today.year + 2, 12, 31).isoformat(),
    }
    assert _post(county_officer, "/manufacturers", **maker).status_code == 403
    created = _post(province_admin, "/manufacturers", **maker)
    assert created.status_code == 201, created.json()
    assert created.json()["designated_today"] is True
    again = _post(province_admin, "/manufacturers", **maker)
    assert again.status_code == 409
    assert _problems(again)["licence"] == ["许可证号 吉农标字第001号 已登记。"]
    maker_id = created.json()["id"]

    def plan(species: str, quantity: int) -> Any:
        return client_for(province_admin).put(
            "/api/v1/production-plans",
            {
                "manufacturer_id": maker_id,
                "year": today.year,
                "species": species,
                "quantity": quantity,
            },
            content_type="application/json",
        )

    assert _problems(plan("sheep", 1000))["species"] == ["吉林省耳标厂 未获定点生产该畜种耳标。"]
    planned = plan("pig", 30_000)
    assert planned.status_code == 201, planned.json()
    assert planned.json()["ordered"] == 0
    plan_id = planned.json()["id"]

    def order(first: int, last: int, user: User = county_officer) -> Any:
        return _post(user, "/tag-orders", plan_id=plan_id, first=pig(first), last=pig(last))

    ordered = order(1, 20_000)
    assert ordered.status_code == 201, ordered.json()
    assert ordered.json()["number"].startswith(f"DG220102{today.year}")
    assert (ordered.json()["quantity"], ordered.json()["registered"]) == (20_000, 0)
    beyond = order(20_001, 40_000)
    assert beyond.json()["code"] == "beyond_plan"
    assert _problems(beyond)["last"] == ["吉林省耳标厂 的计划还可订购 10000 枚。"]
    overlap = order(19_001, 21_000)
    assert overlap.status_code == 409
    assert "号段与订单 DG220102" in _problems(overlap)["first"][0]
    # The neighbour cannot order 南关区's numbers, nor see its order.
    foreign = order(30_001, 31_000, user=outsider)
    assert _problems(foreign)["first"] == ["县级代码 220102 不是宽城区的代码。"]
    assert client_for(outsider).get("/api/v1/tag-orders").json()["count"] == 0
    # The plan cannot fall below what was ordered.
    assert _problems(plan("pig", 10_000))["quantity"] == ["各县已按此计划订购 20000 枚。"]
    listed = client_for(county_officer).get("/api/v1/production-plans").json()["items"]
    assert [(p["species"], p["quantity"], p["ordered"]) for p in listed] == [
        ("pig", 30_000, 20_000)
    ]

    # A delivery fills the order; its registration takes numbers of the block only.
    order_id = ordered.json()["id"]
    delivery = {
        "order_id": order_id,
        "note_number": "SH-001",
        "delivered_on": today.isoformat(),
    }
    assert _post(outsider, "/tag-deliveries", **delivery).status_code == 404
    delivered = _post(county_officer, "/tag-deliveries", **delivery)
    assert delivered.status_code == 201, delivered.json()
    assert (delivered.json()["manufacturer"], delivered.json()["order"]) == (
        "吉林省耳标厂",
        ordered.json()["number"],
    )

    def register(first: int, last: int) -> Any:
        row = {
            "species": "猪",
            "first": pig(first),
            "last": pig(last),
            "quantity": str(last - first + 1),
        }
        return _post(
            county_officer,
            "/tag-registrations",
            rows=[row],
            delivery_id=delivered.json()["id"],
        )

    outside = register(19_901, 20_100)
    assert outside.status_code == 422
    assert outside.json()["detail"]["items"][0]["problems"] == [
        f"不在订单 {ordered.json()['number']} 的号段 {pig(1)}-{pig(20_000)} 内。"
    ]
    assert not RegisteredRange.objects.exists()
    assert register(1, 1_000).status_code == 201
    listed = client_for(county_officer).get("/api/v1/tag-orders").json()["items"]
    assert listed[0]["registered"] == 1_000


def test_a_revoked_maker_takes_no_order_and_delivers_nothing(
    province_admin: User, county_officer: User, maker: Manufacturer, tag_order: TagOrder
) -> None:
    assert (
        _post(county_officer, f"/manufacturers/{maker.pk}/revoke", reason="重号").status_code == 403
    )
    empty = _post(province_admin, f"/manufacturers/{maker.pk}/revoke", reason=" ")
    assert _problems(empty)["reason"] == ["请填写原因（最多 200 字）。"]
    revoked = _post(province_admin, f"/manufacturers/{maker.pk}/revoke", reason="抽检重号")
    assert (revoked.json()["status"], revoked.json()["designated_today"]) == ("revoked", False)
    refusal = ["吉林省耳标厂 的定点资格已被取消：抽检重号"]
    ordered = _post(
        county_officer,
        "/tag-orders",
        plan_id=maker.plans.get().pk,
        first=pig(60_001),
        last=pig(61_000),
    )
    assert (ordered.json()["code"], _problems(ordered)["plan"]) == ("maker_not_designated", refusal)
    delivered = _post(
        county_officer,
        "/tag-deliveries",
        order_id=tag_order.pk,
        note_number="SH-002",
        delivered_on=timezone.localdate().isoformat(),
    )
    assert (delivered.json()["code"], _problems(delivered)["order"]) == (
        "maker_not_designated",
        refusal,
    )
    assert (
        _post(province_admin, f"/manufacturers/{maker.pk}/revoke", reason="再次").status_code == 409
    )


def test_a_delivery_dated_outside_the_designation_is_refused(
    province_admin: User, county_officer: User, maker: Manufacturer, tag_order: TagOrder
) -> None:
    before = date(timezone.localdate().year - 1, 12, 31)
    delivered = _post(
        county_officer,
        "/tag-deliveries",
        order_id=tag_order.pk,
        note_number="SH-003",
        delivered_on=before.isoformat(),
    )
    assert _problems(delivered)["order"] == [f"吉林省耳标厂 在 {before.isoformat()} 不是定点企业。"]
    late = timezone.localdate() + timedelta(days=1)
    future = _post(
        county_officer,
        "/tag-deliveries",
        order_id=tag_order.pk,
        note_number="SH-004",
        delivered_on=late.isoformat(),
    )
    assert _problems(future)["delivered_on"] == ["到货日期不能晚于今天。"]


@pytest.mark.django_db(transaction=True)
def test_two_orders_of_overlapping_blocks_leave_one_winner(
    county_officer: User, maker: Manufacturer
) -> None:
    plan = maker.plans.get()

    def attempt(offset: int) -> Callable[[], str]:
        def place() -> str:
            order_place(
                actor=county_officer, plan=plan, first=pig(1 + offset), last=pig(1_000 + offset)
            )
            return "ordered"

        return place

    results = sorted(
        race([attempt(0), attempt(500)], hold="earmark.eartags.services.makers.audit_record")
    )
    assert results == ["order_overlaps", "ordered"]
    assert TagOrder.objects.count() == 1


def test_the_pages_designate_plan_and_order(
    province_admin: User, county_officer: User, outsider: User
) -> None:
    year = timezone.localdate().year
    province = client_for(province_admin)
    designated = province.post(
        "/tags/makers/",
        {
            "form": "maker",
            "maker-name": "吉林省耳标厂",
            "maker-licence": "L-7",
            "maker-species": ["pig", "sheep"],
            "maker-valid_from": f"{year}-01-01",
            "maker-valid_until": f"{year}-12-31",
        },
    )
    assert designated.status_code == 302
    maker = Manufacturer.objects.get()
    assert maker.species == ["pig", "sheep"]
    planned = province.post(
        "/tags/makers/",
        {
            "form": "plan",
            "plan-manufacturer": maker.pk,
            "plan-year": year,
            "plan-species": "cattle",
            "plan-quantity": 5,
        },
    )
    assert "吉林省耳标厂 未获定点生产该畜种耳标。" in planned.content.decode()
    province.post(
        "/tags/makers/",
        {
            "form": "plan",
            "plan-manufacturer": maker.pk,
            "plan-year": year,
            "plan-species": "pig",
            "plan-quantity": 5000,
        },
    )
    # A county officer reads the register but has no forms; posting changes nothing.
    page = client_for(county_officer).get("/tags/makers/").content.decode()
    assert "吉林省耳标厂" in page and "猪、羊" in page and 'name="form"' not in page
    client_for(county_officer).post(
        "/tags/makers/", {"form": "revoke", "revoke-manufacturer": maker.pk, "revoke-reason": "x"}
    )
    assert Manufacturer.objects.get().status == Manufacturer.Status.DESIGNATED
    orders = client_for(county_officer)
    assert "余 5000 枚" in orders.get("/tags/orders/").content.decode()
    ordered = orders.post(
        "/tags/orders/",
        {"plan": maker.plans.get().pk, "first": pig(1), "last": pig(6000)},
    )
    assert "吉林省耳标厂 的计划还可订购 5000 枚。" in ordered.content.decode()
    assert (
        orders.post(
            "/tags/orders/", {"plan": maker.plans.get().pk, "first": pig(1), "last": pig(5000)}
        ).status_code
        == 302
    )
    listed = orders.get("/tags/orders/").content.decode()
    assert f"DG220102{year}0001" in listed and "余 0 枚" in listed
    assert f"DG220102{year}" not in client_for(outsider).get("/tags/orders/").content.decode()


def test_a_delivery_note_is_recorded_once_and_never_before_its_order(
    province_admin: User, county_officer: User
) -> None:
    # A maker designated since last year, so that yesterday lies within its designation.
    today = timezone.localdate()
    maker = manufacturer_register(
        actor=province_admin,
        data=ManufacturerData(
            name="长春耳标厂",
            licence="吉农标字第002号",
            species=["pig"],
            valid_from=date(today.year - 1, 1, 1),
            valid_until=date(today.year + 1, 12, 31),
        ),
    )
    plan = plan_set(
        actor=province_admin, manufacturer=maker, year=today.year, species="pig", quantity=10_000
    )
    order = order_place(actor=county_officer, plan=plan, first=pig(1), last=pig(5_000))

    def deliver(note: str, day: date) -> Any:
        return _post(
            county_officer,
            "/tag-deliveries",
            order_id=order.pk,
            note_number=note,
            delivered_on=day.isoformat(),
        )

    early = deliver("SH-101", today - timedelta(days=1))
    assert (early.status_code, early.json()["code"]) == (422, "delivery_before_order")
    assert _problems(early)["delivered_on"] == [f"到货日期早于 {today.isoformat()} 的订单。"]
    assert deliver("SH-101", today).status_code == 201
    again = deliver("SH-101", today)
    assert (again.status_code, again.json()["code"]) == (409, "delivery_note_taken")
    assert _problems(again)["note_number"] == ["送货单 SH-101 已登记。"]
