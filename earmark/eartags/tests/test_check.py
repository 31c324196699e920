from __future__ import annotations

from collections.abc import Callable
from typing import Any

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.testing import client_for
from earmark.eartags.fixtures import PIG, Register, pig
from earmark.eartags.models import Issue
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.immunization.services.tagging import tags_apply
from earmark.movements.services.deaths import death_report


def _check(user: User, numbers: str, township: str = "220102001", holder: str | None = None) -> Any:
    body = {"numbers": numbers, "township": township, **({"holder": holder} if holder else {})}
    return client_for(user).post("/api/v1/tags/check", body, content_type="application/json")


def _apply(make_user: MakeUser, serials: range, premises: Premises) -> None:
    """Tags issued to the farm, put on its animals by a vaccinator of its township."""
    vaccinator = make_user(premises.township_id, (Role.VACCINATOR,))
    tags_apply(
        actor=vaccinator,
        premises=premises,
        species="pig",
        numbers=RangeSet(((PIG + serials.start, PIG + serials.stop - 1),)),
    )


def test_the_check_groups_every_range_by_what_is_wrong_with_it(
    county_officer: User,
    register: Register,
    station_officer: User,
    make_premises: Any,
    make_user: MakeUser,
    first_issue: Callable[..., Issue],
) -> None:
    register((1, 1000, "A1", "01"))
    first_issue(ranges=f"{pig(1)}-{pig(500)}")
    farm = make_premises(township="220102001")
    client_for(station_officer).post(
        "/api/v1/tag-issues",
        {"to": f"premises:{farm.code}", "species": "pig", "ranges": f"{pig(1)}-{pig(100)}"},
        content_type="application/json",
    )
    _apply(make_user, range(1, 21), farm)
    death_report(
        actor=county_officer,
        premises=farm,
        species="pig",
        numbers=RangeSet(((int(pig(20)), int(pig(20))),)),
        cause="病死",
    )
    numbers = f"{pig(1)}-{pig(25)} {pig(700)}-{pig(701)} 122010299990001 abc"
    response = _check(station_officer, numbers, holder=f"premises:{farm.code}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["ok"] is False
    assert body["checked"] == 28
    assert body["unreadable"] == [{"text": "abc", "message": "不是数字"}]
    rows = [(s["first"], s["last"], s["state"], s["problems"]) for s in body["segments"]]
    assert rows == [
        (pig(1), pig(19), "applied", []),
        (pig(20), pig(20), "cancelled", ["耳标状态为“已注销”"]),
        (pig(21), pig(25), "available", ["尚未佩戴"]),
        (pig(700), pig(701), "available", ["尚未佩戴", "尚未发放到乡镇", "已发放给其他持有人"]),
        ("122010299990001", "122010299990001", "unregistered", ["从未登记：可能是伪造耳标"]),
    ]
    assert body["segments"][0]["count"] == 19
    assert body["segments"][3]["holder"] == "南关区动物卫生监督所"
    assert body["problem_count"] == 1 + 5 + 2 + 1


def test_tags_of_another_township_are_named_as_such(
    county_officer: User,
    register: Register,
    make_premises: Any,
    make_user: MakeUser,
    station_officer: User,
    first_issue: Callable[..., Issue],
) -> None:
    register((1, 100, "A1", "01"))
    first_issue(count=100)
    farm = make_premises(township="220102001")
    client_for(station_officer).post(
        "/api/v1/tag-issues",
        {"to": f"premises:{farm.code}", "species": "pig", "ranges": f"{pig(1)}-{pig(2)}"},
        content_type="application/json",
    )
    _apply(make_user, range(1, 3), farm)
    body = _check(county_officer, f"{pig(1)}-{pig(2)}", township="220102002").json()
    assert body["segments"][0]["problems"] == ["属于南岭街道的库存"]


def test_the_check_needs_a_township_of_the_users_jurisdiction(
    county_officer: User, outsider: User
) -> None:
    assert _check(outsider, pig(1)).status_code == 404
    assert _check(county_officer, pig(1), township="220103002").status_code == 404
    assert (
        client_for(None).post("/api/v1/tags/check", {}, content_type="application/json").status_code
        == 401
    )
    empty = _check(county_officer, "  ")
    assert empty.json()["message"] == "请输入要核验的耳标号码。"


def test_a_township_officer_sees_only_its_own_inventory(
    county_officer: User,
    register: Register,
    station: Agency,
    station_officer: User,
    first_issue: Callable[..., Issue],
) -> None:
    register((1, 100, "A1", "01"))
    issue = first_issue(count=10)
    holders = client_for(station_officer).get("/api/v1/tag-holdings").json()["items"]
    assert [(h["holder"], h["count"]) for h in holders] == [("南岭街道畜牧兽医站", 10)]
    assert client_for(station_officer).get(f"/api/v1/tags/{pig(50)}").status_code == 404
    assert client_for(station_officer).get(f"/api/v1/tags/{pig(5)}").status_code == 200
    assert client_for(station_officer).get(f"/api/v1/tag-issues/{issue.number}").status_code == 200
