"""On a phone: the destination county records a change of destination, and the new receiver
finds the certificate on its home page (待接收) and receives the animals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role
from earmark.eartags.fixtures import pig
from earmark.farms.models import Stock
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, url: str, username: str, then: str) -> None:
    page.goto(f"{url}/login/?next={then}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_redirect_and_the_new_receivers_list_on_a_phone(
    live_server: Any,
    chromium: Any,
    phone: Any,
    certified_to: Callable[..., Certificate],
    make_premises: Any,
    make_user: MakeUser,
) -> None:
    planned = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    instead = make_premises(name="宽城育肥场", township="220103002", stock={"pig": 0})
    certificate = certified_to(planned)
    officer = make_user("220102", (Role.COUNTY_OFFICER,), username="nanguan-redirect")
    _sign_in(phone, live_server.url, officer.username, "/quarantine/certificates/?state=incoming")
    phone.get_by_role("link", name=certificate.number).click()
    phone.get_by_role("link", name="改变到达地").click()
    phone.get_by_label("新的到达场所（场户编码）").fill(instead.code)
    phone.get_by_label("原因").fill("原到达场临时封锁，改运宽城育肥场")
    phone.get_by_role("button", name="登记改变").click()
    expect(phone.get_by_text("改变到达地已登记")).to_be_visible()
    expect(phone.get_by_text("宽城育肥场（" + instead.code + "）").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("redirect-recorded")
    assert set(Alert.objects.filter(kind="redirect").values_list("county_id", flat=True)) == {
        "220102",
        "220103",
    }

    receiver = make_user("220103002", (Role.DESTINATION_STAFF,), username="kuancheng-receiver")
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    _sign_in(page, live_server.url, receiver.username, "/")
    incoming = page.locator("#incoming")
    expect(incoming.get_by_role("heading", name="待接收")).to_be_visible()
    expect(incoming.get_by_text(certificate.number)).to_be_visible()
    incoming.get_by_role("link", name="接收", exact=True).click()
    expect(page.get_by_label("检疫证明编号")).to_have_value(certificate.number)
    page.get_by_label("接收场所").select_option(value=instead.code)
    page.get_by_label("扫描的耳标").fill(f"{pig(1)}-{pig(10)}")
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_text("已扫描检疫证明上的耳标 10 枚。")).to_be_visible()
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("落地报告已记录")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert Stock.objects.get(premises=instead).quantity == 10
