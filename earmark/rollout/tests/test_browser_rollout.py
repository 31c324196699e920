from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.regions.models import Region
from earmark.rollout.fixtures import prepare, switch_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(phone: Any, url: str, user: User) -> None:
    phone.goto(f"{url}/login/?next=/rollout/")
    phone.get_by_label("用户名").fill(user.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{url}/rollout/")


def test_a_county_requests_and_the_province_enables_on_a_phone(
    live_server: Any,
    phone: Any,
    county_officer: User,
    province_admin: User,
    make_premises: Any,
    register: Any,
) -> None:
    switch_off("220102")
    prepare(county_officer, make_premises, register)
    _sign_in(phone, live_server.url, county_officer)
    county = phone.locator("[data-county='220102']")
    expect(county.locator(".badge").first).to_have_text("已培训")
    planned = timezone.localdate() + timedelta(days=10)
    county.get_by_label("计划启用日期").fill(planned.isoformat())
    county.get_by_role("button", name="申请启用").click()
    expect(phone.get_by_text("已提交启用申请。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("rollout-county")
    phone.context.clear_cookies()
    _sign_in(phone, live_server.url, province_admin)
    expect(phone.get_by_role("heading", name="各阶段县数")).to_be_visible()
    row = phone.locator("[data-county='220102']")
    # 开通 asks first; declined, nothing changes.
    phone.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="开通").click()
    assert Region.objects.get(code="220102").enabled_at is None
    phone.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="开通").click()
    expect(phone.get_by_text("该县已启用新功能。")).to_be_visible()
    expect(phone.locator("[data-county='220102'] .badge").first).to_have_text("已启用")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("rollout-province")
    assert Region.objects.get(code="220102").enabled_at is not None


def test_statistics_on_a_phone_drill_down_to_a_city(
    live_server: Any, phone: Any, province_admin: User
) -> None:
    phone.goto(f"{live_server.url}/login/?next=/rollout/statistics/")
    phone.get_by_label("用户名").fill(province_admin.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="统计 · 吉林省")).to_be_visible()
    expect(phone.locator(".picture svg").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("link", name="长春市").click()
    expect(phone.get_by_role("heading", name="统计 · 长春市")).to_be_visible()
    expect(phone.get_by_role("link", name="九台区")).to_be_visible()
    phone.shot("statistics-city")
