from __future__ import annotations

from django.test import Client

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.audit.models import AuditEvent


def _login(client: Client, username: str, password: str) -> object:
    return client.post("/login/", {"username": username, "password": password})


def test_a_user_signs_in_and_lands_on_the_home_page(county_officer: User) -> None:
    client = Client()
    response = _login(client, county_officer.username, TEST_PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/"  # type: ignore[index]
    home = client.get("/").content.decode()
    assert "南关区动物卫生监督所" in home
    assert "县级监督人员" in home


def test_a_wrong_password_is_refused_in_chinese(county_officer: User) -> None:
    response = _login(Client(), county_officer.username, "wrong-password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "请输入一个正确的" in response.content.decode()  # type: ignore[attr-defined]


def test_repeated_wrong_passwords_lock_the_account(county_officer: User) -> None:
    client = Client()
    for _ in range(5):
        _login(client, county_officer.username, "wrong-password")
    locked = _login(Client(), county_officer.username, TEST_PASSWORD)
    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert "账号已锁定" in locked.content.decode()  # type: ignore[attr-defined]


def test_signing_out_needs_a_post_and_ends_the_session(county_officer: User) -> None:
    client = Client()
    _login(client, county_officer.username, TEST_PASSWORD)
    assert client.get("/logout/").status_code == 405
    out = client.post("/logout/")
    assert out["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_a_user_changes_its_password(county_officer: User) -> None:
    client = Client()
    _login(client, county_officer.username, TEST_PASSWORD)
    weak = client.post("/account/", {"old_password": TEST_PASSWORD, "new_password": "12345678"})
    assert "密码" in weak.content.decode()
    county_officer.refresh_from_db()
    assert county_officer.check_password(TEST_PASSWORD)
    wrong = client.post("/account/", {"old_password": "nope", "new_password": "brand-new-pass-9"})
    assert "当前密码不正确。" in wrong.content.decode()
    done = client.post(
        "/account/",
        {"old_password": TEST_PASSWORD, "new_password": "brand-new-pass-9"},
        follow=True,
    )
    assert "密码已修改。" in done.content.decode()
    county_officer.refresh_from_db()
    assert county_officer.check_password("brand-new-pass-9")
    assert AuditEvent.objects.filter(
        action="user.change_password", object_id=str(county_officer.pk)
    ).exists()
    assert client.get("/").status_code == 200  # still signed in after the change
