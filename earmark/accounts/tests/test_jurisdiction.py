"""A user of county 220102 can read or change nothing of county 220103, by API or web."""

from __future__ import annotations

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.testing import assert_guarded, client_for


@pytest.fixture
def kuancheng_staff(make_user: MakeUser) -> User:
    return make_user("220103002", (Role.TOWNSHIP_OFFICER,), username="kuancheng-township")


def test_agency_lists_hold_only_the_users_jurisdiction(county_officer: User) -> None:
    body = client_for(county_officer).get("/api/v1/agencies?limit=500").json()
    codes = {item["region_code"] for item in body["items"]}
    assert "220102" in codes
    assert all(code.startswith("220102") for code in codes)
    assert body["count"] == len(codes)


def test_a_province_admin_sees_every_agency(province_admin: User) -> None:
    body = client_for(province_admin).get("/api/v1/agencies?limit=1").json()
    assert body["count"] == 1 + 9 + 60 + 972


def test_another_countys_agency_and_staff_are_not_found(
    county_officer: User, kuancheng_staff: User
) -> None:
    kuancheng = Agency.objects.get(region_id="220103")
    client = client_for(county_officer)
    for url in (
        f"/api/v1/agencies/{kuancheng.pk}",
        f"/api/v1/users/{kuancheng_staff.pk}",
        f"/agencies/{kuancheng.pk}/",
        f"/staff/{kuancheng_staff.pk}/",
        "/regions/220103/",
    ):
        assert client.get(url).status_code == 404, url
    users = client.get("/api/v1/users?limit=500").json()["items"]
    assert kuancheng_staff.username not in {u["username"] for u in users}
    filtered = client.get(f"/api/v1/users?agency_id={kuancheng.pk}").json()
    assert filtered == {"items": [], "count": 0}
    # A region outside the jurisdiction is not found, as everywhere.
    assert client.get("/api/v1/agencies?region=220103").status_code == 404


def test_another_countys_staff_cannot_be_created_or_deactivated(
    county_officer: User, kuancheng_staff: User
) -> None:
    client = client_for(county_officer)
    kuancheng = Agency.objects.get(region_id="220103")
    created = client.post(
        "/api/v1/users",
        {
            "agency_id": kuancheng.pk,
            "username": "intruder",
            "password": "a-long-password-1",
            "roles": ["township_officer"],
        },
        content_type="application/json",
    )
    assert created.status_code == 404
    assert not User.objects.filter(username="intruder").exists()
    deactivated = client.post(f"/api/v1/users/{kuancheng_staff.pk}/deactivate")
    assert deactivated.status_code == 404
    kuancheng_staff.refresh_from_db()
    assert kuancheng_staff.is_active
    web = client.post(f"/staff/{kuancheng_staff.pk}/deactivate")
    assert web.status_code == 404
    form = client.post(f"/agencies/{kuancheng.pk}/staff/new", {"username": "intruder2"})
    assert form.status_code == 404


def test_every_endpoint_and_page_refuses_no_user_and_an_outsider(
    county_officer: User, outsider: User, make_user: MakeUser
) -> None:
    staff = make_user("220102001", (Role.TOWNSHIP_OFFICER,), username="nanguan-township")
    agency = Agency.objects.get(region_id="220102")
    for method, url in (
        ("get", f"/api/v1/agencies/{agency.pk}"),
        ("get", f"/api/v1/users/{staff.pk}"),
        ("post", f"/api/v1/users/{staff.pk}/deactivate"),
        ("get", f"/agencies/{agency.pk}/"),
        ("get", f"/agencies/{agency.pk}/staff/new"),
        ("post", f"/agencies/{agency.pk}/staff/new"),
        ("get", f"/staff/{staff.pk}/"),
        ("post", f"/staff/{staff.pk}/deactivate"),
        ("get", "/regions/220102/"),
        ("get", "/regions/220102001/"),
    ):
        assert_guarded(method, url, outsider=outsider)
    staff.refresh_from_db()
    assert staff.is_active


def test_lists_refuse_no_user(jilin: None) -> None:
    for url in ("/api/v1/me", "/api/v1/agencies", "/api/v1/users", "/api/v1/tokens"):
        assert client_for(None).get(url).status_code == 401, url
    for url in ("/", "/account/", "/regions/"):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_the_region_pages_start_at_the_users_own_region(county_officer: User) -> None:
    client = client_for(county_officer)
    assert client.get("/regions/").url == "/regions/220102/"
    page = client.get("/regions/220102/").content.decode()
    assert "南关区" in page
    assert "吉林省" not in page  # the breadcrumb shows nothing above the user's own region
    assert "/regions/220102001/" in page


def test_a_city_officer_reads_its_counties_but_not_another_city(make_user: MakeUser) -> None:
    city = make_user("220100", (Role.CITY_OFFICER,), username="changchun")
    client = client_for(city)
    assert client.get("/regions/220113/").status_code == 200
    assert client.get("/regions/220202/").status_code == 404
    jilin_city = Agency.objects.get(region_id="220200")
    assert client.get(f"/api/v1/agencies/{jilin_city.pk}").status_code == 404
