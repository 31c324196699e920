from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import ApiToken, Role, User
from earmark.core.testing import client_for


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _command_token(user: User, name: str = "terminal 1") -> str:
    out = io.StringIO()
    call_command("create_token", user.username, "--name", name, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_a_terminal_token_from_the_command_signs_in_to_the_api(county_officer: User) -> None:
    raw = _command_token(county_officer)
    response = client_for(None).get("/api/v1/me", **_bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == county_officer.username
    token = ApiToken.objects.get(user=county_officer)
    assert token.last_used_at is not None


def test_only_the_hash_of_a_token_is_stored(county_officer: User) -> None:
    raw = _command_token(county_officer)
    token = ApiToken.objects.get(user=county_officer)
    assert raw not in token.key_hash
    assert raw.split("_", 2)[2] not in str(ApiToken.objects.values().get(pk=token.pk))


@pytest.mark.parametrize(
    "header",
    ["Bearer em_000000000000_nope", "Bearer nonsense", "Bearer ", "Token abc"],
)
def test_a_wrong_token_is_refused(county_officer: User, header: str) -> None:
    response = client_for(None).get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_revoked_token_stops_working(county_officer: User) -> None:
    client = client_for(county_officer)
    created = client.post(
        "/api/v1/tokens", {"name": "乡镇站3号终端"}, content_type="application/json"
    )
    assert created.status_code == 201
    raw = created.json()["token"]
    assert client_for(None).get("/api/v1/me", **_bearer(raw)).status_code == 200
    listed = client.get("/api/v1/tokens").json()["items"]
    assert "token" not in listed[0]
    revoked = client.post(f"/api/v1/tokens/{created.json()['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client_for(None).get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_a_deactivated_users_tokens_stop_working(county_officer: User, make_user: MakeUser) -> None:
    staff = make_user("220102001", (Role.TOWNSHIP_OFFICER,))
    raw = _command_token(staff)
    client_for(county_officer).post(f"/api/v1/users/{staff.pk}/deactivate")
    assert client_for(None).get("/api/v1/me", **_bearer(raw)).status_code == 401


def test_an_outsider_cannot_see_or_revoke_a_token(county_officer: User, outsider: User) -> None:
    _command_token(county_officer)
    token = ApiToken.objects.get(user=county_officer)
    response = client_for(outsider).post(f"/api/v1/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client_for(outsider).get("/api/v1/tokens").json()["count"] == 0
    assert client_for(None).post(f"/api/v1/tokens/{token.pk}/revoke").status_code == 401
    assert client_for(outsider).post(f"/account/tokens/{token.pk}/revoke").status_code == 404


def test_a_county_officer_issues_a_token_for_a_terminal_of_its_staff(
    county_officer: User, outsider: User, make_user: MakeUser
) -> None:
    staff = make_user("220102001", (Role.VACCINATOR,))
    body = {"name": "防疫员终端", "user_id": staff.pk}
    response = client_for(county_officer).post(
        "/api/v1/tokens", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert ApiToken.objects.get(prefix=response.json()["prefix"]).user == staff
    foreign = client_for(outsider).post("/api/v1/tokens", body, content_type="application/json")
    assert foreign.status_code == 404


def test_session_writes_need_the_csrf_token(county_officer: User) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county_officer)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_the_account_page_shows_a_new_token_once(county_officer: User) -> None:
    client = client_for(county_officer)
    page = client.post("/account/", {"name": "我的手机"}).content.decode()
    token = ApiToken.objects.get(user=county_officer)
    assert "请立即将此令牌录入设备" in page
    assert f"em_{token.prefix}_" in page
    again = client.get("/account/").content.decode()
    assert f"em_{token.prefix}_" not in again
    assert "我的手机" in again


def test_a_closed_account_gets_no_new_token(county_officer: User, make_user: MakeUser) -> None:
    vaccinator = make_user("220102001", ("vaccinator",), vaccinator_number="09")
    client = client_for(county_officer)
    closed = client.post(f"/api/v1/users/{vaccinator.pk}/deactivate")
    assert closed.status_code == 200, closed.json()
    refused = client.post(
        "/api/v1/tokens",
        {"name": "动监e通 07", "user_id": vaccinator.pk},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "account_inactive")
    assert refused.json()["message"] == "该账号已停用。"
