"""A checkpoint officer checks another province's certificate on his phone (#17): genuine by
the issuing province's published key, with what the national platform handed over."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role
from earmark.core.browser import back_online, sign_in
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.foreign import foreign_certificates_store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.service_worker,
    pytest.mark.django_db(transaction=True),
]


def test_a_checkpoint_officer_checks_a_heilongjiang_certificate(
    live_server: Any, phone: Any, make_user: MakeUser, heilongjiang: Neighbour
) -> None:
    certificate = heilongjiang.certificate(
        "231260000777",
        destination="220113",
        quantity=12,
        tags=((123010200300001, 123010200300012),),
        destination_name="吉林省长春市九台区",
    )
    assert foreign_certificates_store([certificate]).stored == 1
    payload = certificate["payload"]
    officer = make_user("220113", (Role.CHECKPOINT_OFFICER,), username="jiutai-checker")
    sign_in(phone, live_server.url, officer.username, TEST_PASSWORD, "/checkpoint/")
    # The phone keeps this province's key and the others' published keys, with their age.
    expect(phone.locator("#snapshot-age")).to_contain_text("小时前")
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    phone.reload()

    # With no connection, it checks the certificate against Heilongjiang's key.
    phone.context.set_offline(True)
    phone.goto(phone.url)
    phone.get_by_label("检疫证明编号或二维码").fill(payload)
    phone.get_by_label("地点").fill("九台卡伦检查站")
    phone.get_by_role("button", name="核验", exact=True).click()
    offline = phone.locator("#offline-verdict")
    expect(offline.locator(".verdict")).to_have_text("有效（离线核验）")
    expect(offline).to_contain_text("231260000777")
    phone.shot("checkpoint-foreign-certificate-offline")

    # Online, the server checks it against the key and what the platform handed over.
    back_online(phone, f"{live_server.url}/checkpoint/")
    phone.get_by_label("检疫证明编号或二维码").fill(payload)
    phone.get_by_label("地点").fill("九台卡伦检查站")
    phone.get_by_role("button", name="核验", exact=True).click()
    verdict = phone.locator("section[role=status]:not(#offline-verdict)")
    expect(verdict).to_contain_text("有效")
    expect(verdict).to_contain_text("由签发省份（230000）签名")
    expect(verdict).to_contain_text("黑龙江省哈尔滨市道里区兴旺养殖场")
    expect(verdict).to_contain_text("猪 × 12")
    phone.shot("checkpoint-foreign-certificate")
    # The check made offline went up with the connection; every one is recorded as genuine,
    # issued by Heilongjiang.
    checks = CheckpointCheck.objects.values_list("result", "issuing_province", "signature_valid")
    assert set(checks) == {("valid", "230000", True)}
