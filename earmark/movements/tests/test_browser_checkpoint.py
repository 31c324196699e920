"""The checkpoint with no connection, in a real browser: the certificate's QR payload is checked
on the phone against the province's key and the revocations kept there, and the check is
recorded on the server once, when the connection returns."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role, User
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.certificates import certificate_revoke, qr_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Without Ed25519 in WebCrypto (iPhone Safari, older browsers) the page uses noble-ed25519.
NO_WEBCRYPTO_ED25519 = """
const importKey = crypto.subtle.importKey.bind(crypto.subtle);
crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
  (algorithm && (algorithm === "Ed25519" || algorithm.name === "Ed25519"))
    ? Promise.reject(new DOMException("not supported", "NotSupportedError"))
    : importKey(format, key, algorithm, ...rest);
"""


@pytest.fixture
def officer(make_user: MakeUser) -> User:
    return make_user("220113", (Role.CHECKPOINT_OFFICER,), username="jiutai-checkpoint")


def open_checkpoint(phone: Any, live_server: Any, officer: User) -> None:
    phone.goto(f"{live_server.url}/login/?next=/checkpoint/")
    phone.get_by_label("用户名").fill(officer.username)
    phone.get_by_label("密码").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    # The key and the revocations are on the phone, with their age.
    expect(phone.locator("#snapshot-age")).to_contain_text("小时前")
    phone.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    phone.reload()  # now kept by the service worker too


def check_offline(phone: Any, code: str) -> None:
    phone.context.set_offline(True)
    phone.goto(phone.url)
    phone.get_by_label("检疫证明编号或二维码").fill(code)
    phone.get_by_label("地点").fill("九台收费站")
    phone.get_by_role("button", name="核验", exact=True).click()


@pytest.mark.parametrize("webcrypto", [True, False], ids=["webcrypto", "noble"])
def test_a_genuine_certificate_is_valid_offline_and_the_check_is_recorded_once(
    live_server: Any, phone: Any, officer: User, certified: Certificate, webcrypto: bool
) -> None:
    if not webcrypto:
        phone.add_init_script(NO_WEBCRYPTO_ED25519)
    open_checkpoint(phone, live_server, officer)
    check_offline(phone, qr_url(certified))
    verdict = phone.locator("#offline-verdict")
    expect(verdict.locator(".verdict")).to_have_text("有效（离线核验）")
    expect(verdict).to_contain_text(certified.number)
    expect(verdict).to_contain_text(certified.vehicle_plate)
    phone.shot(f"offline-checkpoint-valid-{'webcrypto' if webcrypto else 'noble'}")
    assert CheckpointCheck.objects.count() == 0

    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")
    phone.get_by_role("button", name="立即发送").click()
    check = CheckpointCheck.objects.get()
    assert (check.result, check.offline, check.signature_valid) == ("valid", True, True)
    assert check.place == "九台收费站" and check.certificate == certified


def test_a_revoked_or_altered_certificate_is_refused_offline(
    live_server: Any, phone: Any, officer: User, certified: Certificate, vet: User
) -> None:
    payload = certified.payload
    certificate_revoke(actor=vet, certificate=certified, reason="车辆变更")
    open_checkpoint(phone, live_server, officer)
    check_offline(phone, qr_url(certified))
    expect(phone.locator("#offline-verdict .verdict")).to_have_text("已撤销")

    # Another quantity, under the same signature: the signature no longer holds.
    import base64
    import json

    body, signature = payload.split(".")
    fields = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    fields["q"] = 99
    forged = base64.urlsafe_b64encode(
        json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    ).rstrip(b"=")
    phone.get_by_label("检疫证明编号或二维码").fill(f"{forged.decode()}.{signature}")
    phone.get_by_role("button", name="核验", exact=True).click()
    expect(phone.locator("#offline-verdict .verdict")).to_have_text("不真实：签名不符")
    phone.shot("offline-checkpoint-forged")

    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text(["已提交", "已提交"])
    results = sorted(CheckpointCheck.objects.values_list("result", "offline"))
    assert results == [("forged", True), ("revoked", True)]
