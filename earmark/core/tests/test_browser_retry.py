"""In a real browser: the connection drops after the server saved an immunization, the
vaccinator tries again, and there is still one record."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.models import ImmunizationRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(page: Any, pig_farm: Premises) -> None:
    page.get_by_label("养殖场户").select_option(value=pig_farm.code)
    page.get_by_label("疫苗").select_option(label="猪口蹄疫O型灭活疫苗（猪）")
    page.get_by_label("批号").fill("B2026-11")
    page.get_by_label("耳标和耳标钳消毒方式").fill("75%酒精浸泡消毒")
    page.locator("#id_age").fill("35")
    page.get_by_label("购自（经销单位）").fill("南关区兽药经营部")
    page.get_by_label("耳标号码").fill(f"{pig(1)}-005")


def test_a_retry_after_a_dropped_connection_saves_nothing_twice(
    live_server: Any, phone: Any, stocked_vaccinator: User, pig_farm: Premises
) -> None:
    phone.goto(f"{live_server.url}/login/?next=/immunize/")
    phone.get_by_label("用户名").fill(stocked_vaccinator.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    _fill(phone, pig_farm)
    phone.get_by_role("button", name="核验").click()
    expect(phone.get_by_text("新佩耳标 5 枚")).to_be_visible()

    delivered: list[int] = []

    def drop_after_saving(route: Any) -> None:
        if "action=confirm" in (route.request.post_data or ""):
            # The server receives the request and commits; its answer never arrives.
            delivered.append(route.fetch(max_redirects=0).status)
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/immunize/", drop_after_saving)
    phone.get_by_role("button", name="确认登记").click()
    phone.wait_for_timeout(500)
    assert delivered == [302]
    assert ImmunizationRecord.objects.count() == 1
    phone.unroute("**/immunize/")

    # The vaccinator opens the form again and sends the same session once more: the check
    # names the record already made, and nothing is offered to confirm.
    phone.goto(f"{live_server.url}/immunize/")
    _fill(phone, pig_farm)
    phone.get_by_role("button", name="核验").click()
    number = ImmunizationRecord.objects.get().number
    expect(phone.get_by_text(f"接种同一疫苗的同一批次：记录 {number}", exact=False)).to_be_visible()
    expect(phone.get_by_role("button", name="确认登记")).to_have_count(0)
    phone.shot("retry-saved-once")
    assert ImmunizationRecord.objects.count() == 1
