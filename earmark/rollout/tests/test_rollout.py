from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.errors import BusinessError
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.holders import Holder
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.farms.models import Premises
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect
from earmark.regions.gate import county_enabled
from earmark.regions.models import Region
from earmark.rollout.fixtures import prepare, switch_off
from earmark.rollout.models import CountyRollout, Milestone, Training
from earmark.rollout.selectors.milestones import rollout_board

NOT_ENABLED = (
    "南关区尚未启用新功能（系统发放耳标、核验库存的检疫申报和出证）；"
    "由县级机构申请启用，省级机构开通。"
)


def test_a_county_requests_the_province_enables_and_accepts(
    county_officer: User,
    province_admin: User,
    make_premises: Any,
    register: Any,
    disable: Callable[[str], None],
) -> None:
    disable("220102")
    county = client_for(county_officer)
    refused = county.post(
        "/api/v1/counties/220102/request",
        {"planned_on": str(timezone.localdate())},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert [i["problems"] for i in refused.json()["detail"]["items"]] == [
        ["0 个场户中已审核 0 个；至少需要 100%。"],
        ["尚未登记库存耳标。"],
        ["尚无本县的使用培训记录。"],
    ]
    prepare(county_officer, make_premises, register)
    listed = {c["code"]: c for c in county.get("/api/v1/counties").json()["items"]}
    assert listed["220102"]["stage"] == "trained" and list(listed) == ["220102"]
    province = client_for(province_admin)
    early = province.post("/api/v1/counties/220102/enable")
    assert early.json()["message"] == "该县尚未申请启用。"
    requested = county.post(
        "/api/v1/counties/220102/request",
        {"planned_on": str(timezone.localdate() + timedelta(days=7))},
        content_type="application/json",
    )
    assert requested.json()["stage"] == "requested", requested.json()
    twice = county.post(
        "/api/v1/counties/220102/request",
        {"planned_on": str(timezone.localdate() + timedelta(days=8))},
        content_type="application/json",
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "enablement_already_requested")
    assert county.post("/api/v1/counties/220102/enable").status_code == 403
    assert not county_enabled("220102")
    assert province.post("/api/v1/counties/220102/enable").json()["stage"] == "enabled"
    assert county_enabled("220102")
    on_again = province.post("/api/v1/counties/220102/enable")
    assert (on_again.status_code, on_again.json()["code"]) == (409, "county_already_enabled")
    accepted = province.post(
        "/api/v1/counties/220102/accept",
        {"note": "验收合格"},
        content_type="application/json",
    )
    assert accepted.json()["stage"] == "accepted"
    again = province.post("/api/v1/counties/220102/accept", {}, "application/json")
    assert again.json()["message"] == "该县已通过验收。"


def test_the_new_functions_work_only_in_enabled_counties(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    county_officer: User,
    station: Agency,
    ready_farm: Premises,
    disable: Callable[[str], None],
) -> None:
    declaration = declared()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    disable("220102")
    with pytest.raises(BusinessError) as caught:
        certificate_issue(actor=vet, declaration=declaration)
    assert caught.value.message == NOT_ENABLED
    with pytest.raises(BusinessError) as caught:
        tags_issue(
            actor=county_officer,
            target=Holder(agency=station),
            species="pig",
            selection=Selection(count=10),
        )
    assert caught.value.code == "county_not_enabled"
    # The API and the pages say the same.
    response = client_for(county_officer).post(
        "/api/v1/tag-issues",
        {"to": f"agency:{station.pk}", "species": "pig", "count": 10},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "county_not_enabled",
        "message": NOT_ENABLED,
        "detail": {"fields": {}, "items": []},
    }
    api = client_for(vet).post(
        "/api/v1/certificates",
        {"declaration": declaration.number},
        content_type="application/json",
    )
    assert api.json()["code"] == "county_not_enabled"
    page = client_for(vet).post(
        f"/quarantine/declarations/{declaration.number}/",
        {
            "action": "issue",
            "valid_until": timezone.localtime(declaration.planned_departure).date().isoformat(),
            "transport_mode": "road",
        },
        follow=True,
    )
    assert NOT_ENABLED in page.content.decode()
    assert declaration.certificates.count() == 0


def test_milestones_across_dates(make_user: MakeUser) -> None:
    """长春 has 11 counties: one enabled by the end of July meets the first milestone; half of
    them by the end of September needs six."""
    switch_off()
    year = 2026
    Milestone.objects.filter(key="first-enabled").update(due=date(year, 7, 30))
    Milestone.objects.filter(key="half-enabled").update(due=date(year, 9, 30))
    enabled = {
        "220102": date(year, 7, 20),
        "220103": date(year, 8, 10),
        "220104": date(year, 9, 20),
        "220105": date(year, 9, 25),
        "220106": date(year, 10, 5),
        "220112": date(year, 10, 5),
    }
    for code, day in enabled.items():
        moment = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
        CountyRollout.objects.create(county_id=code, requested_at=moment)
        Region.objects.filter(code=code).update(enabled_at=moment)
    province = make_user("220000", (Role.PROVINCE_ADMIN,))

    def states(on: date) -> dict[str, tuple[str, int]]:
        board = rollout_board(user=province, on=on)
        changchun = next(c for c in board.cities if c.code == "220100")
        return {m.milestone.key: (m.state, m.reached) for m in changchun.milestones}

    assert states(date(year, 7, 1))["first-enabled"] == ("pending", 0)
    assert states(date(year, 7, 25))["first-enabled"] == ("met", 1)
    assert states(date(year, 9, 1))["half-enabled"] == ("pending", 2)
    assert states(date(year, 10, 1))["half-enabled"] == ("overdue", 4)
    assert states(date(year, 10, 6))["half-enabled"] == ("late", 6)
    jilin_city = next(
        c for c in rollout_board(user=province, on=date(year, 8, 1)).cities if c.code == "220200"
    )
    assert jilin_city.overdue and jilin_city.milestones[1].state == "overdue"
    response = client_for(province).get(f"/api/v1/rollout?on={year}-10-01")
    changchun = next(c for c in response.json()["cities"] if c["code"] == "220100")
    assert changchun["overdue"] is True
    counties = {c["code"]: c for c in changchun["counties"]}
    assert counties["220102"]["stage"] == "enabled" and counties["220102"]["overdue"] == []


def test_a_city_sees_its_counties_only(make_user: MakeUser, county_officer: User) -> None:
    city = make_user("220100", (Role.CITY_OFFICER,))
    codes = {c["code"][:4] for c in client_for(city).get("/api/v1/counties").json()["items"]}
    assert codes == {"2201"}
    board = client_for(city).get("/api/v1/rollout").json()
    assert [c["code"] for c in board["cities"]] == ["220100"]
    county_board = client_for(county_officer).get("/api/v1/rollout").json()
    assert [c["code"] for c in county_board["cities"][0]["counties"]] == ["220102"]
    assert county_board["cities"][0]["milestones"] == []
    assert client_for(city).post("/api/v1/counties/220102/enable").status_code == 403
    other_county = make_user("220103", (Role.COUNTY_OFFICER,))
    stranger = client_for(other_county).post(
        "/api/v1/counties/220102/request", {}, content_type="application/json"
    )
    assert stranger.status_code == 404


def test_milestones_are_edited_by_the_province_all_or_nothing(
    province_admin: User, county_officer: User
) -> None:
    province = client_for(province_admin)
    before = province.get("/api/v1/milestones").json()["items"]
    assert [m["key"] for m in before] == [
        "preparation",
        "first-enabled",
        "half-enabled",
        "all-enabled",
        "acceptance",
    ]
    refused = province.put(
        "/api/v1/milestones",
        [{"key": "acceptance", "due": "2026-12-15"}, {"key": "half-enabled", "share": 150}],
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert [(i["ref"], i["problems"]) for i in refused.json()["detail"]["items"]] == [
        ("half-enabled", ["比例应为 0 到 100 的整数百分比。"])
    ]
    assert Milestone.objects.get(key="acceptance").due != date(2026, 12, 15)
    changed = province.put(
        "/api/v1/milestones",
        [{"key": "acceptance", "due": "2026-12-15"}],
        content_type="application/json",
    )
    assert {m["key"]: m["due"] for m in changed.json()}["acceptance"] == "2026-12-15"
    forbidden = client_for(county_officer).put(
        "/api/v1/milestones", [], content_type="application/json"
    )
    assert forbidden.status_code == 403


def test_terminals_required_against_deployed(
    province_admin: User, county_officer: User, vet: User, outsider: User
) -> None:
    province = client_for(province_admin)
    quota = province.put(
        "/api/v1/terminal-quotas",
        {"region_code": "220102001", "required": 3},
        content_type="application/json",
    )
    assert quota.json()["shortfall"] == 3
    created = client_for(county_officer).post(
        "/api/v1/terminals",
        {"device_id": "IMEI-86000001", "holder_id": vet.pk, "model": "T3"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    token = created.json()["token"]
    assert (
        client_for(None).get("/api/v1/counties", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 200
    )
    counts = province.get("/api/v1/terminal-quotas").json()["items"]
    assert [(c["region_code"], c["deployed"], c["shortfall"]) for c in counts] == [
        ("220102001", 1, 2)
    ]
    duplicate = client_for(county_officer).post(
        "/api/v1/terminals",
        {"device_id": "IMEI-86000001", "holder_id": vet.pk},
        content_type="application/json",
    )
    assert duplicate.json()["message"] == "终端 IMEI-86000001 已登记。"
    assert client_for(outsider).get("/api/v1/terminals").json() == {"items": [], "count": 0}
    assert client_for(outsider).get("/api/v1/terminal-quotas").json() == {"items": [], "count": 0}
    stranger = client_for(outsider).post(
        "/api/v1/terminals",
        {"device_id": "X1", "holder_id": vet.pk},
        content_type="application/json",
    )
    assert stranger.status_code in (403, 404)


def test_trainings_are_checked_row_by_row(county_officer: User, outsider: User) -> None:
    client = client_for(county_officer)
    refused = client.post(
        "/api/v1/trainings",
        {
            "kind": "user",
            "held_on": str(timezone.localdate()),
            "title": "使用培训",
            "attendance": [
                {"region_code": "220102001", "attendees": 4},
                {"region_code": "220103", "attendees": 2},
                {"region_code": "220102001", "attendees": 1},
            ],
        },
        content_type="application/json",
    )
    assert refused.json()["detail"]["fields"] == {
        "attendance.2": ["辖区内没有机构 220103。"],
        "attendance.3": ["220102001 重复填写。"],
    }
    assert not Training.objects.exists()
    trainer = client.post(
        "/api/v1/trainings",
        {"kind": "trainer", "held_on": "2026-06-01", "title": "师资", "attendance": []},
        content_type="application/json",
    )
    assert trainer.status_code == 403
    created = client.post(
        "/api/v1/trainings",
        {
            "kind": "user",
            "held_on": str(timezone.localdate()),
            "title": "使用培训",
            "attendance": [{"region_code": "220102001", "attendees": 4}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client_for(outsider).get("/api/v1/trainings").json()["items"] == []


def test_rollout_pages_and_endpoints_are_guarded(
    outsider: User, county_officer: User, province_admin: User
) -> None:
    for url in ("/api/v1/counties", "/api/v1/rollout", "/api/v1/terminals"):
        assert client_for(None).get(url).status_code == 401
    for url in ("/rollout/", "/rollout/terminals/", "/rollout/trainings/"):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)
    page = client_for(province_admin).get("/rollout/").content.decode()
    assert "各阶段县数" in page and "<svg" in page and "已逾期" in page
    mine = client_for(county_officer).get("/rollout/").content.decode()
    assert "南关区" in mine and "宽城区" not in mine


def test_the_dashboard_today_follows_the_calendar(make_user: MakeUser) -> None:
    """With the clock at the start of August, a city with no enabled county has missed the
    end-of-July milestone; in early July it had not yet."""
    import time_machine

    switch_off(
        *Region.objects.filter(level="county").exclude(code="220102").values_list("code", flat=True)
    )
    july = timezone.make_aware(timezone.datetime(2026, 7, 20, 10))
    CountyRollout.objects.filter(county_id="220102").update(requested_at=july)
    Region.objects.filter(code="220102").update(enabled_at=july)
    Milestone.objects.filter(key="first-enabled").update(due=date(2026, 7, 30))
    province = make_user("220000", (Role.PROVINCE_ADMIN,))
    with time_machine.travel(date(2026, 7, 5)):
        early = client_for(province).get("/api/v1/rollout").json()
    with time_machine.travel(date(2026, 8, 1)):
        late = client_for(province).get("/api/v1/rollout").json()

    def first(board: dict[str, Any], city: str) -> str:
        found = next(c for c in board["cities"] if c["code"] == city)
        return next(m["state"] for m in found["milestones"] if m["key"] == "first-enabled")

    assert early["on"] == "2026-07-05" and late["on"] == "2026-08-01"
    assert first(early, "220200") == "pending" and first(late, "220200") == "overdue"
    assert first(late, "220100") == "met"


def test_every_rollout_write_is_guarded(outsider: User, county_officer: User) -> None:
    """No user is refused everywhere; a user of another county cannot touch 南关区."""
    today = str(timezone.localdate())
    training = {"kind": "user", "held_on": today, "title": "x", "attendance": []}
    for method, url, data, status in [
        ("post", "/api/v1/counties/220102/request", {"planned_on": today}, 404),
        ("post", "/api/v1/counties/220102/enable", None, 403),
        ("post", "/api/v1/counties/220102/accept", {}, 403),
        ("get", "/api/v1/milestones", None, 200),
        ("put", "/api/v1/milestones", [], 403),
        ("get", "/api/v1/trainings", None, 200),
        ("post", "/api/v1/trainings", training, 400),
        ("put", "/api/v1/terminal-quotas", {"region_code": "220102", "required": 1}, 403),
        ("post", "/api/v1/terminals", {"device_id": "X", "holder_id": county_officer.pk}, 404),
        ("get", "/api/v1/statistics?region=220102", None, 404),
    ]:
        assert_guarded(method, url, outsider=outsider, data=data, outsider_status=status)
    assert not CountyRollout.objects.filter(county_id="220102", requested_at__isnull=True).exists()
    for url in ("/rollout/counties/220102/request", "/rollout/counties/220102/enable"):
        assert_guarded("post", url, outsider=outsider, data={}, outsider_status=302)
    assert_guarded("get", "/rollout/bulletins/", outsider=outsider, outsider_status=403)
    assert not Training.objects.exists()
