from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.core.errors import BusinessError
from earmark.eartags.fixtures import pig
from earmark.eartags.models import TagEvent
from earmark.farms.models import Premises
from earmark.quarantine.fixtures import declaration_data
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.declarations import declaration_submit
from earmark.rollout.fixtures import enable


def _refusal(premises: Premises, **changes: Any) -> dict[str, Any]:
    with pytest.raises(BusinessError) as caught:
        declaration_submit(premises=premises, data=declaration_data(**changes))
    assert caught.value.code == "declaration_refused"
    return caught.value.detail


def _general(detail: dict[str, Any]) -> list[str]:
    """The problems of the declaration as a whole (items with no tag range)."""
    return [p for i in detail["items"] if not i["ref"] for p in i["problems"]]


def _tags(detail: dict[str, Any]) -> dict[str, list[str]]:
    return {i["ref"]: i["problems"] for i in detail["items"] if i["ref"]}


def test_a_clean_declaration_is_submitted(ready_farm: Premises) -> None:
    declaration = declaration_submit(premises=ready_farm, data=declaration_data())
    assert declaration.status == "submitted"
    assert declaration.number.startswith("SB220102")
    assert [str(r) for r in declaration.ranges.all()] == [f"{pig(1)}-{pig(10)}"]
    assert TagEvent.objects.filter(kind="declared", document_id=declaration.number).exists()


def test_every_tag_problem_comes_back_at_once_grouped_by_range(
    ready_farm: Premises, make_premises: Any, declared: Callable[..., Declaration]
) -> None:
    declared(numbers=f"{pig(11)}-{pig(12)}", quantity=2)
    detail = _refusal(
        ready_farm,
        quantity=9,
        numbers=f"{pig(8)}-{pig(12)} {pig(30)} 122010299990001 222010200000001 12x45",
    )
    assert _general(detail) == ["申报数量为 9 头（只），但输入了 8 个耳标号。"]
    tags = _tags(detail)
    assert tags["12x45"] == ["不是数字"]
    assert tags[f"{pig(11)}-{pig(12)}"] == [
        f"已在未办结的申报 {Declaration.objects.get().number} 中"
    ]
    assert tags[pig(30)] == ["尚未佩戴"]
    assert tags["122010299990001"][0] == "从未登记：可能是伪造耳标"
    assert tags["222010200000001"] == ["不是猪耳标", "从未登记：可能是伪造耳标"]
    assert f"{pig(8)}-{pig(10)}" not in tags


def test_count_duplicates_stock_and_fields(ready_farm: Premises) -> None:
    detail = _refusal(
        ready_farm,
        quantity=60,
        numbers=f"{pig(1)}-{pig(10)} {pig(5)}",
        carrier_phone="123",
        vehicle_plate="12345",
        destination_region="",
        destination_address="",
        planned_departure=timezone.now() + timedelta(hours=2),
    )
    assert _general(detail) == [
        f"以下耳标重复输入：{pig(5)}。",
        "申报数量为 60 头（只），但输入了 10 个耳标号。",
        "申报数量为 60 头（只），但存栏只有 50。",
    ]
    assert detail["fields"] == {
        "destination_region": ["请选择目的地县区或乡镇。"],
        "destination_address": ["请填写到达的场户或详细地址。"],
        "planned_departure": ["须在启运前至少 6 小时申报。"],
        "carrier_phone": ["请输入11位手机号码。"],
        "vehicle_plate": ["请输入车牌号，如 吉A12345。"],
    }


def test_breeding_animals_need_fifteen_days_notice(ready_farm: Premises) -> None:
    detail = _refusal(
        ready_farm, purpose="breeding", planned_departure=timezone.now() + timedelta(days=10)
    )
    assert detail["fields"]["planned_departure"] == ["须在启运前至少 15 天申报。"]


def test_unprotected_animals_are_named_with_the_reason(ready_farm: Premises) -> None:
    later = timezone.now() + timedelta(days=200)
    detail = _refusal(ready_farm, planned_departure=later)
    expiry = (timezone.localdate() - timedelta(days=10) + timedelta(days=179)).isoformat()
    assert detail["items"] == [
        {
            "ref": f"{pig(1)}-{pig(10)}",
            "field": "tags",
            "count": 10,
            "problems": [f"口蹄疫（O型）免疫保护期已于 {expiry} 到期"],
        }
    ]


def test_an_unverified_farm_or_a_county_switched_off_cannot_declare(
    ready_farm: Premises, disable: Callable[[str], None]
) -> None:
    disable("220102")
    detail = _refusal(ready_farm)
    assert _general(detail) == ["本县尚未启用检疫申报新功能；由县级机构申请启用，省级机构开通。"]
    enable("220102")
    ready_farm.status = "to_verify"
    ready_farm.save()
    assert _general(_refusal(ready_farm)) == ["县级机构尚未审核基础信息。"]


def test_tags_of_another_farm_are_refused(
    ready_farm: Premises, make_premises: Any, county_officer: Any
) -> None:
    from earmark.farms.services.changes import premises_verify

    other = make_premises(township="220102001", stock={"pig": 20})
    premises_verify(actor=county_officer, premises=other)
    detail = _refusal(other, numbers=f"{pig(1)}-{pig(10)}")
    assert detail["items"][0]["problems"] == ["佩戴在其他养殖场户的畜禽上"]


def test_a_destination_outside_the_province_needs_no_region(ready_farm: Premises) -> None:
    declaration = declaration_submit(
        premises=ready_farm,
        data=declaration_data(
            destination_province="210000",
            destination_region="",
            destination_address="沈阳市某屠宰场",
        ),
    )
    assert declaration.destination_region is None


def test_tags_of_another_township_s_inventory_say_what_to_do_next(
    ready_farm: Premises, county_officer: Any
) -> None:
    from earmark.accounts.models import Agency
    from earmark.eartags.holders import Holder
    from earmark.eartags.services.issuing import Selection, tags_issue

    other = Agency.objects.get(region_id="220102002")
    tags_issue(
        actor=county_officer,
        target=Holder(agency=other),
        species="pig",
        selection=Selection(count=5),
    )
    detail = _refusal(ready_farm, quantity=5, numbers=f"{pig(501)}-{pig(505)}")
    assert any(
        message.startswith("5 个耳标属于其他乡镇的库存。如果这些牲畜是从外地调入的")
        for message in _general(detail)
    ), _general(detail)
