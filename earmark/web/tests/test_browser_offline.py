"""Field work with no connection, in a real browser: the pages open from the phone, a
submission waits in the outbox and arrives once when the connection returns, a refused one
comes back with its reasons and is fixed and sent again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.core.browser import back_online
from earmark.core.browser import sign_in as browser_sign_in
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.models import Animal, ImmunizationRecord

pytestmark = [
    pytest.mark.browser,
    pytest.mark.service_worker,
    pytest.mark.django_db(transaction=True),
]

VACCINE = "猪口蹄疫O型灭活疫苗（猪）"


def sign_in(phone: Any, live_server: Any, user: User) -> None:
    browser_sign_in(phone, live_server.url, user.username, TEST_PASSWORD)
    # The service worker controls the app and has kept the pages of the user's work.
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    kept = "() => caches.open('earmark-pages').then(c => c.match('/immunize/')).then(Boolean)"
    for _ in range(100):
        if phone.evaluate(kept):
            break
        phone.wait_for_timeout(100)
    assert phone.evaluate(kept)


def fill_immunization(phone: Any, farm: Premises, numbers: str) -> None:
    phone.get_by_label("养殖场户").select_option(farm.code)
    phone.get_by_label("疫苗").select_option(label=VACCINE)
    phone.get_by_label("批号").fill("B2026-12")
    phone.get_by_label("耳标和耳标钳消毒方式").fill("75%酒精浸泡消毒")
    phone.locator("#id_age").fill("35")
    phone.get_by_label("购自（经销单位）").fill("南关区兽药经营部")
    phone.get_by_label("耳标号码").fill(numbers)


def test_an_immunization_made_offline_arrives_once_when_the_connection_returns(
    live_server: Any, phone: Any, stocked_vaccinator: User, pig_farm: Premises
) -> None:
    sign_in(phone, live_server, stocked_vaccinator)
    phone.context.set_offline(True)
    # Never opened on this phone before, the form opens with no connection.
    phone.goto(f"{live_server.url}/immunize/")
    expect(phone.get_by_text("没有网络连接。")).to_be_visible()
    fill_immunization(phone, pig_farm, f"{pig(1)}-015")
    phone.get_by_role("button", name="核验").click()
    expect(phone.get_by_text("已存入本机的待发送")).to_be_visible()
    phone.shot("offline-immunize-queued")
    # Reloaded with no connection, the submission is still waiting on the phone.
    phone.reload()
    expect(phone.locator("#net-status .outbox-count")).to_contain_text("1")
    assert ImmunizationRecord.objects.count() == 0

    back_online(phone, f"{live_server.url}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")
    phone.shot("offline-outbox-sent")
    # Sent again on purpose and reloaded: still one record.
    phone.get_by_role("button", name="立即发送").click()
    phone.reload()
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")
    record = ImmunizationRecord.objects.get()
    assert record.count == 15
    assert Animal.objects.filter(premises=pig_farm).count() == 15
    phone.get_by_role("link", name="查看").click()
    expect(phone.get_by_text(record.number).first).to_be_visible()


def test_a_refused_offline_submission_comes_back_with_its_reasons_and_is_fixed(
    live_server: Any, phone: Any, stocked_vaccinator: User, pig_farm: Premises
) -> None:
    sign_in(phone, live_server, stocked_vaccinator)
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/immunize/")
    # Tags the vaccinator does not hold: only the server can know.
    fill_immunization(phone, pig_farm, f"{pig(901)}-905")
    phone.get_by_role("button", name="核验").click()
    expect(phone.get_by_text("已存入本机的待发送")).to_be_visible()

    back_online(phone, f"{live_server.url}/outbox/")
    item = phone.locator("#outbox-list li")
    expect(item.locator(".state")).to_have_text("被退回")
    expect(item.locator(".problems")).not_to_be_empty()
    phone.shot("offline-outbox-refused")
    assert ImmunizationRecord.objects.count() == 0

    item.get_by_role("link", name="修改后重发").click()
    expect(phone.get_by_label("耳标号码")).to_have_value(f"{pig(901)}-905")
    expect(phone.get_by_label("批号")).to_have_value("B2026-12")
    phone.get_by_label("耳标号码").fill(f"{pig(1)}-005")
    phone.get_by_role("button", name="核验").click()
    phone.get_by_role("button", name="确认登记").click()
    expect(phone.get_by_text("已登记：5 头（只）")).to_be_visible()
    assert ImmunizationRecord.objects.get().count == 5
    # The refused submission it replaced is gone from the outbox.
    phone.goto(f"{live_server.url}/outbox/")
    expect(phone.get_by_text("没有等待发送的内容。")).to_be_visible()


def test_chromium_finds_the_app_installable(
    live_server: Any, phone: Any, stocked_vaccinator: User
) -> None:
    sign_in(phone, live_server, stocked_vaccinator)
    session = phone.context.new_cdp_session(phone)
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito profiles, where Chromium installs nothing: every other
    # check (manifest, icons, service worker, secure origin) must pass.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
