"""The checkpoint with no connection, in a real browser: the certificate's QR payload is checked
on the phone against the province's key and the revocations kept there, and the check is
recorded on the server once, when the connection returns."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from earmark.accounts.fixtures import TEST_PASSWORD, MakeUser
from earmark.accounts.models import Role, User
from earmark.core.browser import back_online, sign_in
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.certificates import certificate_revoke
from earmark.quarantine.services.payloads import qr_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.service_worker,
    pytest.mark.django_db(transaction=True),
]

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
    sign_in(phone, live_server.url, officer.username, TEST_PASSWORD, "/checkpoint/")
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

    back_online(phone, f"{live_server.url}/outbox/")
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

    back_online(phone, f"{live_server.url}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text(["已提交", "已提交"])
    results = sorted(CheckpointCheck.objects.values_list("result", "offline"))
    assert results == [("forged", True), ("revoked", True)]


def _camera_file(text: str, path: Any) -> None:
    """A video of ``text``'s QR code, as Chromium's fake camera plays it (YUV4MPEG2, 4:2:0)."""
    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=4)
    code = Image.open(buffer).convert("L")
    frame = Image.new("L", (640, 640), 255)
    frame.paste(code.resize((560, 560)), (40, 40))
    luma = frame.tobytes()
    chroma = bytes([128]) * (320 * 320)
    with open(path, "wb") as file:
        file.write(b"YUV4MPEG2 W640 H640 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            file.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_reads_a_certificate_s_qr_code_without_barcode_detector(
    live_server: Any, chromium: Any, officer: User, certified: Certificate, tmp_path: Any
) -> None:
    from earmark.core.browser import CHROMIUM, CHROMIUM_ARGS, PHONE

    camera = tmp_path / "qr.y4m"
    _camera_file(qr_url(certified), camera)
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}",
        ],
    )
    try:
        context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
        context.grant_permissions(["camera"])
        page = context.new_page()
        # Desktop Chromium on Linux has no BarcodeDetector: the page falls back to jsQR.
        assert page.evaluate("() => 'BarcodeDetector' in window") is False
        sign_in(page, live_server.url, officer.username, TEST_PASSWORD, "/checkpoint/")
        page.get_by_role("button", name="扫描").click()
        expect(page.get_by_label("检疫证明编号或二维码")).to_have_value(qr_url(certified))
        page.get_by_label("地点").fill("九台收费站")
        page.get_by_role("button", name="核验", exact=True).click()
        expect(page.get_by_text("省级机构签名有效。")).to_be_visible()
    finally:
        browser.close()
    assert CheckpointCheck.objects.get().result == "valid"


def test_offline_the_phone_compares_and_reads_a_restriction_as_the_server_does(
    live_server: Any, phone: Any, officer: User, certified: Certificate, county_officer: User
) -> None:
    from earmark.farms.services.restrictions import RestrictionData, restriction_place

    restriction_place(
        actor=county_officer,
        data=RestrictionData(kind="premises", premises=certified.premises, reason="非洲猪瘟疫点"),
    )
    open_checkpoint(phone, live_server, officer)
    phone.context.set_offline(True)
    phone.goto(phone.url)
    phone.get_by_label("检疫证明编号或二维码").fill(qr_url(certified))
    phone.get_by_label("地点").fill("九台收费站")
    phone.get_by_label("运载工具牌号").fill("吉B99999")
    phone.get_by_label("车上畜禽数量").fill("9")
    phone.get_by_role("button", name="核验", exact=True).click()
    verdict = phone.locator("#offline-verdict")
    expect(verdict.locator(".verdict")).to_have_text("限制中")
    expect(verdict.locator(".findings li")).to_have_text(
        [
            re.compile("启运地自 .* 起处于移动限制之中：非洲猪瘟疫点"),
            "车牌 吉B99999，检疫证明所列为 吉A12345。",
            "清点 9 头（只），检疫证明为 10 头（只）。",
        ]
    )
    phone.shot("offline-checkpoint-restricted")

    back_online(phone, f"{live_server.url}/outbox/")
    expect(phone.locator("#outbox-list li .state")).to_have_text("已提交")
    check = CheckpointCheck.objects.get()
    assert check.result == "restricted"
    assert [f["code"] for f in check.findings] == ["plate", "head"]
