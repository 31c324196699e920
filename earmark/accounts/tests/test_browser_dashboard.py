from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_officer_signs_in_on_a_phone_and_sees_the_county_dashboard(
    live_server: Any, phone: Any, county_officer: User
) -> None:
    phone.goto(f"{live_server.url}/")
    assert phone.url.endswith("/login/?next=/")
    phone.get_by_label("用户名").fill(county_officer.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server.url}/")
    expect(phone.get_by_role("heading", name="南关区动物卫生监督所")).to_be_visible()
    expect(phone.get_by_text("县级监督人员")).to_be_visible()
    expect(phone.get_by_text("我的辖区")).to_be_visible()
    # The stylesheet is served (no CDN) and applied: the top bar is the brand's green.
    top_bar = phone.locator("header.topbar")
    assert top_bar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 111, 67)"
    # Nothing overflows sideways on a 390-pixel screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot = phone.shot("county-dashboard")
    assert screenshot.stat().st_size > 10_000
    phone.get_by_text("菜单").click()
    phone.get_by_role("link", name="辖区", exact=True).click()
    expect(phone.get_by_role("heading", name="南关区")).to_be_visible()


def test_the_language_switch_turns_the_page_english(live_server: Any, phone: Any) -> None:
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
