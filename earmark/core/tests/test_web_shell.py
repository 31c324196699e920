from __future__ import annotations

import re
from typing import Any

import polib
from django.conf import settings
from django.test import Client
from django.urls import reverse

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.testing import client_for


def test_pages_are_chinese_by_default_and_english_on_request(county_officer: User) -> None:
    client = client_for(county_officer)
    assert "我的辖区" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Your jurisdiction" in english
    assert 'lang="en"' in english


def test_the_api_speaks_the_language_asked_for(jilin: None) -> None:
    chinese = Client().get("/api/v1/me").json()["message"]
    english = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert chinese == "请先登录，或提供有效的接口令牌。"
    assert english == "Sign in or send a valid API token."


def test_every_message_has_a_chinese_translation() -> None:
    catalog = polib.pofile(str(settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_pages_load_nothing_from_outside(county_officer: User) -> None:
    client = client_for(county_officer)
    for url in ("/", "/login/", "/account/", "/regions/220102/", "/api/docs"):
        page = client.get(url, follow=True).content.decode()
        external = re.findall(r'(?:src|href)="(https?:)?//[^"]+"', page)
        assert external == [], (url, external)
    assert "/static/django_htmx/htmx" in client.get("/").content.decode()


def test_the_menu_follows_the_users_roles(make_user: MakeUser) -> None:
    vaccinator = make_user("220102001", (Role.VACCINATOR,), vaccinator_number="05")
    page = client_for(vaccinator).get("/").content.decode()
    assert "防疫员编号 05" in page
    assert "登记免疫" in page
    assert "审核养殖场户，登记耳标库存" not in page  # the county officer's work


def test_pages_fit_a_phone(county_officer: User) -> None:
    page = client_for(county_officer).get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page


def test_an_unknown_page_is_a_chinese_404(county_officer: User) -> None:
    response = client_for(county_officer).get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_only_those_who_submit_see_the_outbox_banner(certified: Any, county_officer: User) -> None:
    """A visitor checking a certificate's QR code has no outbox: no 离线/待发送 banner (#38)."""
    url = reverse("certificate-verify", args=[certified.number])
    visitor = Client().get(url).content.decode()
    assert certified.number in visitor
    assert 'id="net-status"' not in visitor
    assert 'id="net-status"' in client_for(county_officer).get("/").content.decode()
