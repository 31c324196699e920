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


def test_wrong_passwords_from_elsewhere_do_not_lock_out_the_owner(county_officer: User) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        _login(attacker, county_officer.username, "guess")
    assert _login(attacker, county_officer.username, TEST_PASSWORD).status_code == 429  # type: ignore[attr-defined]
    owner = _login(Client(REMOTE_ADDR="10.22.1.5"), county_officer.username, TEST_PASSWORD)
    assert owner.status_code == 302  # type: ignore[attr-defined]


def test_the_lock_grows_with_every_lock_of_the_day(county_officer: User) -> None:
    from datetime import timedelta

    import time_machine
    from django.test import RequestFactory
    from django.utils import timezone

    from earmark.accounts.lockout import cool_off

    def lock_length() -> float:
        request = RequestFactory().post("/login/", {"username": county_officer.username})
        request.axes_ip_address = "203.0.113.9"  # type: ignore[attr-defined]
        return cool_off(request).total_seconds() / 60

    attacker = Client(REMOTE_ADDR="203.0.113.9")
    lengths = []
    start = timezone.now()
    for hours in range(3):
        # Each round waits out the lock before guessing again.
        with time_machine.travel(start + timedelta(hours=hours * 4), tick=False):
            for _ in range(5):
                _login(attacker, county_officer.username, "guess")
            lengths.append(lock_length())
    assert lengths == [15, 30, 60]
