from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD
from earmark.accounts.models import User
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.models import Animal, ImmunizationRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_vaccinator_records_an_immunization_on_a_phone(
    live_server: Any, phone: Any, stocked_vaccinator: User, pig_farm: Premises
) -> None:
    phone.goto(f"{live_server.url}/login/?next=/f/{pig_farm.qr_token}/")
    phone.get_by_label("用户名").fill(stocked_vaccinator.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    # Scanning the farm's card leads the vaccinator straight to the form for that farm.
    phone.get_by_role("link", name="登记免疫").click()
    expect(phone.get_by_label("养殖场户")).to_have_value(pig_farm.code)
    phone.get_by_label("疫苗").select_option(label="猪口蹄疫O型灭活疫苗（猪）")
    phone.get_by_label("批号").fill("B2026-11")
    phone.get_by_label("耳标和耳标钳消毒方式").fill("75%酒精浸泡消毒")
    phone.locator("#id_age").fill("35")
    phone.get_by_label("购自（经销单位）").fill("南关区兽药经营部")
    phone.get_by_label("耳标号码").fill(f"{pig(1)}-015")
    phone.get_by_role("button", name="核验").click()
    expect(phone.get_by_text("新佩耳标 15 枚")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("immunize-preview")
    phone.get_by_role("button", name="确认登记").click()
    expect(phone.get_by_text("已登记：15 头（只）")).to_be_visible()
    phone.shot("immunization-record")
    assert ImmunizationRecord.objects.get().count == 15
    assert Animal.objects.filter(premises=pig_farm).count() == 15
