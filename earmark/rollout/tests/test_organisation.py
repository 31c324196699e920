"""How agencies organise the work (Jilin §2(3), §4): leading groups and liaison officers,
training for farmers and dealers, and publicity — each agency its own, the neighbour sees
none of it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for
from earmark.rollout.models import LeadingGroup


def _call(user: User, method: str, path: str, **body: Any) -> Any:
    client = client_for(user)
    return getattr(client, method)(f"/api/v1{path}", body, content_type="application/json")


def test_each_agency_names_its_leading_group_and_liaison(
    county_officer: User, outsider: User, province_admin: User, make_user: MakeUser
) -> None:
    group = {
        "leader": "王局长",
        "members": "李副局长、张科长",
        "liaison_name": "赵联络员",
        "liaison_phone": "1380000",
    }
    bad = _call(county_officer, "put", "/leading-groups", **group)
    assert bad.json()["detail"]["fields"]["liaison_phone"] == ["请输入11位手机号码。"]
    saved = _call(
        county_officer, "put", "/leading-groups", **{**group, "liaison_phone": "13800000001"}
    )
    assert saved.status_code == 200, saved.json()
    assert (saved.json()["region_code"], saved.json()["liaison_name"]) == ("220102", "赵联络员")
    # Named again, the group is replaced, not doubled.
    _call(county_officer, "put", "/leading-groups", **{**group, "liaison_phone": "13800000002"})
    assert LeadingGroup.objects.get().liaison_phone == "13800000002"
    vaccinator = make_user("220102001", (Role.VACCINATOR,), username="nanling-vac")
    assert _call(vaccinator, "put", "/leading-groups", **group).status_code == 403
    listed = client_for(province_admin).get("/api/v1/leading-groups", {"limit": 100}).json()
    named = {row["region_code"]: row["liaison_name"] for row in listed["items"]}
    assert named["220102"] == "赵联络员" and named["220103"] is None
    assert listed["count"] == 1 + 9 + 60
    theirs = client_for(outsider).get("/api/v1/leading-groups").json()["items"]
    assert [row["region_code"] for row in theirs] == ["220103"]
    page = client_for(province_admin).get("/rollout/organisation/").content.decode()
    assert "赵联络员" in page and "尚未明确" in page


def test_farmers_dealers_and_publicity_are_recorded_by_counties_and_stations(
    county_officer: User, station_officer: User, outsider: User
) -> None:
    today = timezone.localdate().isoformat()
    farmers = _call(
        station_officer,
        "post",
        "/trainings",
        kind="farm",
        held_on=today,
        title="养殖场户耳标佩戴培训",
        attendance=[{"region_code": "220102001", "attendees": 35}],
    )
    assert farmers.status_code == 201, farmers.json()
    dealers = _call(
        county_officer,
        "post",
        "/trainings",
        kind="dealer",
        held_on=today,
        title="贩运经纪人申报培训",
        attendance=[{"region_code": "220102", "attendees": 12}],
    )
    assert dealers.json()["kind"] == "dealer"
    # Staff trainers are trained by the province and cities, not by a station.
    trainer = _call(
        station_officer,
        "post",
        "/trainings",
        kind="trainer",
        held_on=today,
        title="x",
        attendance=[{"region_code": "220102001", "attendees": 1}],
    )
    assert trainer.status_code == 403
    activity = _call(
        county_officer,
        "post",
        "/publicity",
        kind="material",
        held_on=today,
        title="发放耳标知识明白纸",
        reach=2000,
    )
    assert activity.status_code == 201, activity.json()
    assert activity.json()["organiser"] == "南关区动物卫生监督所"
    zero = _call(
        county_officer, "post", "/publicity", kind="media", held_on=today, title="x", reach=0
    )
    assert zero.status_code == 400
    assert client_for(outsider).get("/api/v1/publicity").json()["count"] == 0
    page = client_for(county_officer).post(
        "/rollout/organisation/",
        {
            "form": "publicity",
            "publicity-kind": "meeting",
            "publicity-title": "村级宣传会",
            "publicity-held_on": today,
            "publicity-reach": "80",
        },
    )
    assert page.status_code == 302
    listed = client_for(county_officer).get("/api/v1/publicity").json()
    assert [p["title"] for p in listed["items"]] == ["村级宣传会", "发放耳标知识明白纸"]
