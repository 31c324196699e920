from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.farms.services.credentials import premises_pin_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_farmer_scans_the_qr_code_and_opens_the_farm_page_with_the_pin(
    live_server: Any, phone: Any, county_officer: User, make_premises: Any
) -> None:
    premises = make_premises(name="宏达生猪养殖场", stock={"pig": 860, "sheep": 25})
    pin = premises_pin_issue(actor=county_officer, premises=premises)
    phone.goto(f"{live_server.url}/f/{premises.qr_token}/")
    expect(phone.get_by_role("heading", name="宏达生猪养殖场")).to_be_visible()
    phone.get_by_label("密码（PIN）").fill("000000" if pin != "000000" else "111111")
    phone.get_by_role("button", name="打开").click()
    expect(phone.get_by_text("密码错误。")).to_be_visible()
    phone.get_by_label("密码（PIN）").fill(pin)
    phone.get_by_role("button", name="打开").click()
    phone.wait_for_load_state()
    expect(phone.get_by_text("860")).to_be_visible()
    expect(phone.get_by_text("县级机构尚未审核基础信息。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("farm-page")


def test_a_county_officer_verifies_a_farm_on_a_phone(
    live_server: Any, phone: Any, county_officer: User, make_premises: Any
) -> None:
    premises = make_premises(name="南岭生猪养殖场")
    phone.goto(f"{live_server.url}/login/?next=/premises/")
    phone.get_by_label("用户名").fill(county_officer.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("link", name="南岭生猪养殖场").click()
    expect(phone.get_by_text("县级机构尚未审核基础信息。")).to_be_visible()
    phone.get_by_role("button", name="审核基础信息").click()
    expect(phone.get_by_text("基础信息已审核。")).to_be_visible()
    expect(phone.get_by_text("可以申报检疫。")).to_be_visible()
    # The QR code on the page is served by the API under the session, no outside host.
    qr = phone.locator("img.qr")
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("premises-detail")
    premises.refresh_from_db()
    assert premises.status == "verified"
