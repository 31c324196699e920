"""Each field form made offline: filled and submitted with no connection, still waiting after a
reload, and recorded exactly once when the connection returns — the arrival report, the
slaughter inspection, the death report and the farmer's declaration."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role, User
from earmark.core.browser import back_online
from earmark.core.browser import sign_in as browser_sign_in
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import premises_pin_issue
from earmark.movements.models import Death, Receipt
from earmark.quarantine.models import Certificate, Declaration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.service_worker,
    pytest.mark.django_db(transaction=True),
]


def sign_in(phone: Any, base: str, user: User, page: str) -> None:
    browser_sign_in(phone, base, user.username, TEST_PASSWORD, then=page)
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    phone.reload()  # kept by the service worker from now on


def offline(phone: Any, fill: Callable[[], None], button: str, shot: str) -> None:
    """No connection: the page opens from the phone, the submission goes to the outbox and is
    still there after a reload."""
    phone.context.set_offline(True)
    phone.reload()
    expect(phone.locator(".offline-note")).to_be_visible()
    fill()
    phone.get_by_role("button", name=button, exact=True).click()
    expect(phone.get_by_text("已存入本机的待发送")).to_be_visible()
    phone.shot(shot)
    phone.reload()
    expect(phone.locator("#net-status .outbox-count")).to_contain_text("1")


def online(phone: Any, base: str) -> None:
    back_online(phone, f"{base}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")
    phone.get_by_role("button", name="立即发送").click()
    phone.reload()
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")


def test_an_arrival_reported_offline_is_recorded_once(
    live_server: Any,
    phone: Any,
    certified_to: Callable[..., Certificate],
    make_premises: Any,
    make_user: MakeUser,
) -> None:
    farm = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    certificate = certified_to(farm)
    staff = make_user("220102002", (Role.DESTINATION_STAFF,))
    sign_in(phone, live_server.url, staff, "/receive/arrival")

    def fill() -> None:
        phone.get_by_label("检疫证明编号").fill(certificate.number)
        phone.get_by_label("接收场所").select_option(value=farm.code)
        phone.get_by_label("扫描的耳标").fill(f"{pig(1)}-{pig(10)}")

    offline(phone, fill, "核验", "offline-arrival")
    assert not Receipt.objects.exists()
    online(phone, live_server.url)
    receipt = Receipt.objects.get()
    assert (receipt.certificate, receipt.premises) == (certificate, farm)


def test_a_slaughter_inspection_made_offline_is_recorded_once(
    live_server: Any, phone: Any, certified: Certificate, vet: User, make_premises: Any
) -> None:
    slaughterhouse = make_premises(name="南岭定点屠宰场", kind="slaughterhouse", stock={})
    sign_in(phone, live_server.url, vet, "/receive/slaughter")

    def fill() -> None:
        phone.get_by_label("检疫证明编号").fill(certified.number)
        phone.get_by_label("接收场所").select_option(value=slaughterhouse.code)
        phone.get_by_label("扫描的耳标").fill(f"{pig(1)}-{pig(10)}")
        phone.get_by_role("radio", name="合格", exact=True).check()

    offline(phone, fill, "核验", "offline-slaughter")
    online(phone, live_server.url)
    assert Receipt.objects.get().premises == slaughterhouse


def test_a_death_reported_offline_is_recorded_once(
    live_server: Any, phone: Any, ready_farm: Premises, station_officer: User
) -> None:
    page = f"/premises/{ready_farm.code}/deaths"
    sign_in(phone, live_server.url, station_officer, page)

    def fill() -> None:
        phone.get_by_label("畜种").select_option(value="pig")
        phone.get_by_label(re.compile(r"^耳标[:：]?$")).fill(pig(3))
        phone.get_by_label("原因").fill("难产")

    offline(phone, fill, "登记", "offline-death")
    online(phone, live_server.url)
    assert Death.objects.get().premises == ready_farm


def test_a_farmer_s_declaration_made_offline_is_submitted_once(
    live_server: Any, phone: Any, ready_farm: Premises, county_officer: User
) -> None:
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    phone.goto(f"{live_server.url}/f/{ready_farm.qr_token}/")
    phone.get_by_label("密码（PIN）").fill(pin)
    phone.get_by_role("button", name="打开").click()
    phone.get_by_role("link", name="申报检疫").click()
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    phone.reload()

    def fill() -> None:
        phone.get_by_label("数量").fill("10")
        phone.get_by_label("用途").select_option(label="屠宰")
        phone.get_by_label("到达地省份").select_option(value="210000")
        phone.get_by_label("到达地详细地址").fill("辽宁省沈阳市定点屠宰场")
        phone.get_by_label(re.compile(r"^承运人[:：]?$")).fill("赵运输")
        phone.get_by_label("承运人手机号").fill("13700001111")
        phone.get_by_label("运载工具牌号").fill("吉A12345")
        phone.get_by_label("耳标号码").fill(f"{pig(1)}-{pig(10)}")

    offline(phone, fill, "提交申报", "offline-declaration")
    # Back on the farm's menu, the outbox is one tap away.
    online(phone, live_server.url)
    declaration = Declaration.objects.get()
    assert (declaration.premises, declaration.quantity) == (ready_farm, 10)
