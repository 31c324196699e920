"""A stocktake on a phone in a barn with no signal: the form opens offline, the count waits in
the outbox, and when the connection returns it is recorded once and lists its differences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.core.browser import back_online, sign_in
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.models import ImmunizationRecord
from earmark.stocktakes.models import Stocktake

pytestmark = [
    pytest.mark.browser,
    pytest.mark.service_worker,
    pytest.mark.django_db(transaction=True),
]


def test_a_stocktake_made_offline_lists_its_differences_once_back_online(
    live_server: Any,
    phone: Any,
    vaccinate: Callable[..., ImmunizationRecord],
    stocked_vaccinator: User,
    pig_farm: Premises,
) -> None:
    vaccinate(f"{pig(1)}-{pig(10)}", timezone.localdate() - timedelta(days=20))
    sign_in(phone, live_server.url, stocked_vaccinator.username, TEST_PASSWORD)
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    kept = "() => caches.open('earmark-pages').then(c => c.match('/stocktakes/new')).then(Boolean)"
    for _ in range(100):
        if phone.evaluate(kept):
            break
        phone.wait_for_timeout(100)
    assert phone.evaluate(kept)

    phone.context.set_offline(True)
    # Never opened on this phone before, the form opens with no connection.
    phone.goto(f"{live_server.url}/stocktakes/new")
    expect(phone.get_by_text("没有网络连接。")).to_be_visible()
    phone.get_by_label("养殖场户").select_option(pig_farm.code)
    phone.get_by_label("清点头数").fill("46")
    phone.get_by_label("读取的耳标号").fill(f"{pig(1)}-{pig(8)}")
    phone.get_by_role("button", name="记录盘点").click()
    expect(phone.get_by_text("已存入本机的待发送")).to_be_visible()
    phone.shot("offline-stocktake-queued")
    assert Stocktake.objects.count() == 0

    back_online(phone, f"{live_server.url}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")
    phone.get_by_role("button", name="立即发送").click()
    phone.reload()
    stocktake = Stocktake.objects.get()
    assert (stocktake.counted, stocktake.status) == (46, "to_approve")
    phone.get_by_role("link", name="查看").click()
    differences = phone.locator("ul.differences li")
    expect(differences).to_have_count(3)
    expect(differences.first).to_contain_text("在本场佩标但未见到")
    expect(differences.first).to_contain_text(f"{pig(9)}-{pig(10)}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("stocktake-differences")
