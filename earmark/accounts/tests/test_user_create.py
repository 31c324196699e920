from __future__ import annotations

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.audit.models import AuditEvent
from earmark.core.testing import client_for

PASSWORD = "a-long-password-1"


def _payload(agency: Agency, **fields: object) -> dict[str, object]:
    return {
        "agency_id": agency.pk,
        "username": "li-vaccinator",
        "password": PASSWORD,
        "roles": ["vaccinator"],
        "full_name": "李防疫",
        "phone": "13812345678",
        "vaccinator_number": "07",
        **fields,
    }


@pytest.fixture
def township() -> Agency:
    return Agency.objects.get(region_id="220102001")


def test_a_county_officer_creates_a_vaccinator_in_a_township_of_its_county(
    county_officer: User, township: Agency
) -> None:
    response = client_for(county_officer).post(
        "/api/v1/users", _payload(township), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["roles"] == ["vaccinator"]
    assert body["vaccinator_number"] == "07"
    assert body["agency"]["region_code"] == "220102001"
    created = User.objects.get(username="li-vaccinator")
    assert created.check_password(PASSWORD)
    assert created.vaccinator.county_id == "220102"
    event = AuditEvent.objects.get(action="user.create", object_id=str(created.pk))
    assert event.actor_id == county_officer.pk


def test_a_vaccinator_number_is_unique_in_the_county_not_the_province(
    county_officer: User, township: Agency, make_user: MakeUser
) -> None:
    make_user("220102002", (Role.VACCINATOR,), vaccinator_number="07")
    make_user("220103002", (Role.VACCINATOR,), vaccinator_number="08")
    client = client_for(county_officer)
    refused = client.post("/api/v1/users", _payload(township), content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["detail"]["fields"]["vaccinator_number"] == [
        "防疫员编号 07 在本县已被使用。"
    ]
    accepted = client.post(
        "/api/v1/users",
        _payload(township, vaccinator_number="08"),
        content_type="application/json",
    )
    assert accepted.status_code == 201


def test_every_problem_is_reported_at_once_in_chinese_and_nothing_is_created(
    county_officer: User, township: Agency
) -> None:
    response = client_for(county_officer).post(
        "/api/v1/users",
        _payload(
            township,
            username="x",
            password="12345",
            roles=["county_officer"],
            phone="12345",
            vaccinator_number="7",
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"] == "账号未能创建。"
    fields = body["detail"]["fields"]
    assert set(fields) == {"username", "password", "roles", "phone", "vaccinator_number"}
    assert "乡镇畜牧兽医站不能设置以下角色：县级监督人员" in fields["roles"][0]
    assert not User.objects.filter(username="x").exists()


def test_a_county_officer_cannot_grant_a_province_role(
    county_officer: User, province_admin: User
) -> None:
    county = Agency.objects.get(region_id="220102")
    response = client_for(county_officer).post(
        "/api/v1/users",
        _payload(county, roles=["province_admin"], vaccinator_number=None),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["message"] == "以下角色只能由省级授予：省级管理员。"


def test_staff_without_a_managing_role_cannot_create_accounts(
    make_user: MakeUser, township: Agency
) -> None:
    vet = make_user("220102", (Role.OFFICIAL_VET,))
    response = client_for(vet).post(
        "/api/v1/users", _payload(township), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["message"] == "您无权执行此操作。"


def test_a_taken_user_name_is_refused(county_officer: User, township: Agency) -> None:
    response = client_for(county_officer).post(
        "/api/v1/users",
        _payload(township, username="NANGUAN-OFFICER"),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"]["fields"]["username"] == ["用户名 NANGUAN-OFFICER 已被使用。"]


def test_malformed_input_gets_the_same_error_shape(county_officer: User) -> None:
    response = client_for(county_officer).post(
        "/api/v1/users", {"username": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"] == "部分字段缺失或无效。"
    assert body["detail"]["fields"]["body.payload.agency_id"] == ["必填。"]
    assert body["detail"]["items"] == []


def test_a_deactivated_user_can_no_longer_sign_in(
    county_officer: User, make_user: MakeUser
) -> None:
    staff = make_user("220102001", (Role.TOWNSHIP_OFFICER,))
    response = client_for(county_officer).post(f"/api/v1/users/{staff.pk}/deactivate")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    signed_in = client_for(staff)
    assert signed_in.get("/api/v1/me").status_code == 401


def test_nobody_deactivates_their_own_account(county_officer: User) -> None:
    response = client_for(county_officer).post(f"/api/v1/users/{county_officer.pk}/deactivate")
    assert response.status_code == 422
    assert response.json()["message"] == "不能停用自己的账号。"


def test_the_web_form_creates_staff_and_shows_errors_next_to_fields(
    county_officer: User, township: Agency
) -> None:
    client = client_for(county_officer)
    page = client.get(f"/agencies/{township.pk}/staff/new").content.decode()
    assert "防疫员编号" in page
    assert "县级监督人员" not in page  # a township station cannot hold county roles
    bad = client.post(
        f"/agencies/{township.pk}/staff/new",
        {"username": "wang", "full_name": "王", "roles": ["vaccinator"], "password": PASSWORD},
    )
    assert bad.status_code == 200
    assert "防疫员须有两位数编号。" in bad.content.decode()
    assert not User.objects.filter(username="wang").exists()
    good = client.post(
        f"/agencies/{township.pk}/staff/new",
        {
            "username": "wang",
            "full_name": "王",
            "roles": ["vaccinator"],
            "vaccinator_number": "12",
            "password": PASSWORD,
        },
        follow=True,
    )
    assert "账号 wang 已创建。" in good.content.decode()
    assert User.objects.get(username="wang").vaccinator.number == "12"


def test_me_tells_the_user_its_agency_region_and_roles(make_user: MakeUser) -> None:
    vaccinator = make_user("220113102", (Role.VACCINATOR,), vaccinator_number="03")
    body = client_for(vaccinator).get("/api/v1/me").json()
    assert body["region_code"] == "220113102"
    assert body["region_name"] == "其塔木镇"
    assert body["agency"]["name"] == "其塔木镇畜牧兽医站"
    assert body["roles"] == ["vaccinator"]
    assert body["vaccinator_number"] == "03"
