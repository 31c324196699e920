from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.core.browser import PHONE
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import premises_pin_issue
from earmark.quarantine.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(chromium: Any, url: str, user: User) -> Any:
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("我的工作")).to_be_visible()
    return page


def test_the_whole_journey_from_the_farms_qr_code_to_the_certificate(
    live_server: Any,
    phone: Any,
    chromium: Any,
    ready_farm: Premises,
    county_officer: User,
    station_officer: User,
    vet: User,
) -> None:
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    # The farmer scans the card, enters the PIN and declares, with one foreign tag.
    phone.goto(f"{live_server.url}/f/{ready_farm.qr_token}/")
    phone.get_by_label("密码（PIN）").fill(pin)
    phone.get_by_role("button", name="打开").click()
    phone.get_by_role("link", name="申报检疫").click()
    phone.get_by_label("数量").fill("10")
    phone.get_by_label("用途").select_option(label="屠宰")
    phone.get_by_label("到达地县区").select_option(value="220113")
    expect(phone.locator("#id_destination_region option")).not_to_have_count(0)
    phone.get_by_label("到达地详细地址").fill("九台区定点屠宰场")
    phone.get_by_label(re.compile(r"^承运人[:：]?$")).fill("赵运输")
    phone.get_by_label("承运人手机号").fill("13700001111")
    phone.get_by_label("运载工具牌号").fill("吉A12345")
    phone.get_by_label("耳标号码").fill(f"{pig(1)}-{pig(9)}\n122010300000001")
    phone.get_by_role("button", name="提交申报").click()
    expect(phone.get_by_text("从未登记：可能是伪造耳标")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("declaration-refused")
    phone.get_by_label("耳标号码").fill(f"{pig(1)}-{pig(10)}")
    phone.get_by_role("button", name="提交申报").click()
    expect(phone.get_by_text("已提交")).to_be_visible()
    # The station accepts.
    station = _sign_in(chromium, live_server.url, station_officer)
    station.goto(f"{live_server.url}/quarantine/")
    station.get_by_role("link", name=ready_farm.name).click()
    station.get_by_role("button", name="受理").click()
    expect(station.get_by_text("申报已受理。")).to_be_visible()
    # The vet inspects and issues.
    vet_page = _sign_in(chromium, live_server.url, vet)
    vet_page.goto(station.url)
    vet_page.get_by_role("radio", name="合格", exact=True).check()
    vet_page.get_by_role("button", name="记录检疫结果").click()
    vet_page.get_by_role("button", name="出具检疫证明").click()
    expect(vet_page.get_by_text("已出具")).to_be_visible()
    with vet_page.expect_download() as download:
        vet_page.get_by_role("link", name="打印（PDF）").click()
    certificate = Certificate.objects.get()
    assert download.value.suggested_filename == f"{certificate.number}.pdf"
    # Back on the farm's page the certificate is there.
    phone.goto(f"{live_server.url}/f/{ready_farm.qr_token}/")
    expect(phone.get_by_text(f"检疫证明 {certificate.number}")).to_be_visible()
