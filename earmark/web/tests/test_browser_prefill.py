"""What the phone remembers and fills in: the vaccinator's last vaccine, batch and seller, only
the chosen species' vaccines, the arrival's premises from its certificate, and a certificate
number's 12 digits checked before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role, User
from earmark.core.browser import sign_in
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.movements.models import Receipt
from earmark.quarantine.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_vaccinator_s_last_vaccine_batch_and_seller_are_offered_again(
    live_server: Any, phone: Any, stocked_vaccinator: User, pig_farm: Premises
) -> None:
    sign_in(phone, live_server.url, stocked_vaccinator.username, TEST_PASSWORD, "/immunize/")
    vaccine = phone.get_by_label("疫苗")
    # Pigs chosen: no vaccine for cattle and sheep only is offered.
    offered = vaccine.locator("option:not([disabled])").all_inner_texts()
    assert offered and all("猪" in text for text in offered), offered
    phone.get_by_label("畜种").select_option(label="羊")
    offered = vaccine.locator("option:not([disabled])").all_inner_texts()
    assert offered and all("羊" in text for text in offered), offered
    phone.get_by_label("畜种").select_option(label="猪")

    vaccine.select_option(label="猪口蹄疫O型灭活疫苗（猪）")
    phone.get_by_label("批号").fill("B2026-12")
    phone.get_by_label("耳标和耳标钳消毒方式").fill("75%酒精浸泡消毒")
    phone.locator("#id_age").fill("35")
    phone.get_by_label("购自（经销单位）").fill("九台兽药站")
    phone.get_by_label("耳标号码").fill(f"{pig(1)}-005")
    phone.get_by_role("button", name="核验").click()
    phone.get_by_role("button", name="确认登记").click()
    expect(phone.get_by_text("已登记：5 头（只）")).to_be_visible()

    phone.goto(f"{live_server.url}/immunize/")
    expect(phone.get_by_label("批号")).to_have_value("B2026-12")
    expect(phone.get_by_label("购自（经销单位）")).to_have_value("九台兽药站")
    expect(vaccine.locator("option:checked")).to_have_text("猪口蹄疫O型灭活疫苗（猪）")
    expect(phone.get_by_label("耳标号码")).to_have_value("")


def test_the_arrival_takes_its_premises_from_the_certificate_and_checks_its_digits(
    live_server: Any,
    phone: Any,
    certified_to: Callable[..., Certificate],
    make_premises: Any,
    make_user: MakeUser,
) -> None:
    make_premises(name="东风育肥场", township="220102002", stock={"pig": 0})
    farm = make_premises(name="自强育肥场", township="220102002", stock={"pig": 0})
    certificate = certified_to(farm)
    staff = make_user("220102002", (Role.DESTINATION_STAFF,))
    sign_in(phone, live_server.url, staff.username, TEST_PASSWORD, "/receive/arrival")
    number = phone.get_by_label("检疫证明编号")
    number.fill(certificate.number[:11])
    phone.get_by_role("button", name="核验", exact=True).click()
    expect(phone.get_by_text("检疫证明编号为12位数字。")).to_be_visible()
    number.fill(certificate.number)
    expect(phone.get_by_label("接收场所")).to_have_value(farm.code)
    assert not Receipt.objects.exists()
