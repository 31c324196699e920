from __future__ import annotations

import io
import re
from typing import Any

import zxingcpp
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from earmark.accounts.models import User
from earmark.audit.models import AuditEvent
from earmark.core.pdfproof import assert_travels
from earmark.core.testing import client_for
from earmark.farms.models import PinAttempts, Premises
from earmark.farms.services.credentials import FARM_FAILURE_LIMIT


def _decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert len(results) == 1
    return results[0].text


def test_the_qr_code_decodes_to_the_farms_page(county_officer: User, make_premises: Any) -> None:
    premises = make_premises()
    response = client_for(county_officer).get(f"/api/v1/premises/{premises.code}/qr/png")
    assert response["Content-Type"] == "image/png"
    url = _decode(response.content)
    assert url == f"http://127.0.0.1:8000/f/{premises.qr_token}/"
    page = Client().get(url.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert premises.name in page.content.decode()


def test_the_svg_carries_the_same_code(county_officer: User, make_premises: Any) -> None:
    premises = make_premises()
    svg = client_for(county_officer).get(f"/api/v1/premises/{premises.code}/qr/svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml")
    assert b"<svg" in svg.content and b"<path" in svg.content


def test_the_card_pdf_shows_name_code_and_a_readable_qr(
    county_officer: User, make_premises: Any
) -> None:
    premises = make_premises(name="宏达生猪养殖场")
    response = client_for(county_officer).get(f"/api/v1/premises/{premises.code}/card/pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert premises.code in text
    assert "宏达生猪养殖场" in text
    assert "养殖场户检疫申报二维码" in text
    assert_travels(response.content)
    images = reader.pages[0].images
    assert len(images) == 1
    assert _decode(images[0].data).endswith(f"/f/{premises.qr_token}/")


def test_a_pin_is_shown_once_and_stored_hashed(county_officer: User, make_premises: Any) -> None:
    premises = make_premises()
    response = client_for(county_officer).post(f"/api/v1/premises/{premises.code}/pin")
    pin = response.json()["pin"]
    assert re.fullmatch(r"\d{6}", pin)
    premises.refresh_from_db()
    assert pin not in premises.pin_hash
    assert check_password(pin, premises.pin_hash)
    page = client_for(county_officer).post(f"/premises/{premises.code}/pin").content.decode()
    assert "请立即把密码交给负责人" in page


def _issue_pin(user: User, premises: Premises) -> str:
    return str(client_for(user).post(f"/api/v1/premises/{premises.code}/pin").json()["pin"])


def test_the_farm_page_opens_with_the_right_pin(county_officer: User, make_premises: Any) -> None:
    premises = make_premises(stock={"pig": 42})
    pin = _issue_pin(county_officer, premises)
    farmer = Client()
    url = f"/f/{premises.qr_token}/"
    prompt = farmer.get(url).content.decode()
    assert 'name="pin"' in prompt
    assert "<dd>42</dd>" not in prompt  # nothing of the farm's own data before the PIN
    assert "存栏" not in prompt
    opened = farmer.post(url, {"pin": pin}, follow=True).content.decode()
    assert "存栏" in opened and "<dd>42</dd>" in opened
    assert "县级机构尚未审核基础信息。" in opened
    assert "<dd>42</dd>" in farmer.get(url).content.decode()  # the session remembers the farm


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_wrong_pins_from_one_address_make_it_wait_longer_and_longer_but_not_the_farmer(
    county_officer: User, make_premises: Any
) -> None:
    """Whoever holds the farm's QR link and guesses its PIN waits, after the fifth wrong PIN,
    one minute, then two, four…; the farmer at home is not held up (#34)."""
    premises = make_premises()
    pin = _issue_pin(county_officer, premises)
    wrong = "000000" if pin != "000000" else "111111"
    url = f"/f/{premises.qr_token}/"
    guesser = _from("203.0.113.9")
    for _ in range(4):
        assert "密码错误。" in guesser.post(url, {"pin": wrong}).content.decode()
    assert (
        "密码错误次数过多，请 1 分钟后再试。" in guesser.post(url, {"pin": wrong}).content.decode()
    )
    # Even the right PIN waits from there.
    waiting = guesser.post(url, {"pin": pin}).content.decode()
    assert "密码错误次数过多" in waiting and 'name="pin"' in waiting
    # The farmer, from the farm's own connection, opens the page at once.
    farmer = _from("198.51.100.20")
    assert farmer.post(url, {"pin": pin}).status_code == 302
    # The wait over, the next wrong PIN doubles it.
    PinAttempts.objects.filter(source="203.0.113.9").update(wait_until=timezone.now())
    again = guesser.post(url, {"pin": wrong}).content.decode()
    assert "请 2 分钟后再试" in again
    wrongs = AuditEvent.objects.filter(action="premises.pin_wrong", object_id=str(premises.pk))
    assert wrongs.count() == 6
    assert wrongs.order_by("-id").first().details == {  # type: ignore[union-attr]
        "source": "203.0.113.9",
        "failures": 6,
        "wait_minutes": 2,
    }


def test_a_proxy_named_by_the_deployment_says_who_the_client_is(
    county_officer: User, make_premises: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    premises = make_premises()
    pin = _issue_pin(county_officer, premises)
    wrong = "000000" if pin != "000000" else "111111"
    url = f"/f/{premises.qr_token}/"
    behind = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")
    for _ in range(5):
        behind.post(url, {"pin": wrong})
    assert PinAttempts.objects.get(premises=premises).source == "203.0.113.9"
    # Anyone else's X-Forwarded-For is not believed: it cannot shift the count elsewhere.
    _from("198.51.100.7").post(url, {"pin": wrong}, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert set(PinAttempts.objects.values_list("source", flat=True)) == {
        "203.0.113.9",
        "198.51.100.7",
    }


def test_wrong_pins_from_many_places_lock_the_farm_except_where_it_was_opened(
    county_officer: User, make_premises: Any
) -> None:
    premises = make_premises()
    pin = _issue_pin(county_officer, premises)
    wrong = "000000" if pin != "000000" else "111111"
    url = f"/f/{premises.qr_token}/"
    home = _from("198.51.100.20")
    assert home.post(url, {"pin": pin}).status_code == 302
    for n in range(FARM_FAILURE_LIMIT):
        _from(f"203.0.113.{n % 200 + 1}" if n < 200 else "192.0.2.1").post(url, {"pin": wrong})
    stranger = _from("192.0.2.200").post(url, {"pin": pin}).content.decode()
    assert "密码错误次数过多，请 15 分钟后再试。" in stranger
    assert _from("198.51.100.20").post(url, {"pin": pin}).status_code == 302
    # The county sees who is held up, and lifts it.
    officer = client_for(county_officer)
    page = officer.get(f"/premises/{premises.code}/").content.decode()
    assert "多处输入错误密码" in page and "unlock-pin" in page
    answer = officer.post(f"/api/v1/premises/{premises.code}/unlock-pin")
    assert answer.status_code == 200
    assert _from("192.0.2.200").post(url, {"pin": pin}).status_code == 302
    unlocked = AuditEvent.objects.get(action="premises.pin_unlock")
    assert unlocked.actor_id == county_officer.pk


def test_the_farms_api_token_counts_wrong_pins_by_address_too(
    county_officer: User, make_premises: Any
) -> None:
    premises = make_premises()
    pin = _issue_pin(county_officer, premises)
    wrong = "000000" if pin != "000000" else "111111"
    body = {"qr_token": premises.qr_token, "name": "手机"}
    guesser = _from("203.0.113.9")
    answers = [
        guesser.post("/api/v1/farm/tokens", {**body, "pin": wrong}, content_type="application/json")
        for _ in range(5)
    ]
    assert [a.json()["code"] for a in answers] == ["wrong_pin"] * 4 + ["pin_locked"]
    mine = _from("198.51.100.20").post(
        "/api/v1/farm/tokens", {**body, "pin": pin}, content_type="application/json"
    )
    assert mine.status_code == 201


def test_a_new_qr_code_retires_the_old_one(county_officer: User, make_premises: Any) -> None:
    premises = make_premises()
    old = f"/f/{premises.qr_token}/"
    response = client_for(county_officer).post(f"/api/v1/premises/{premises.code}/rotate-qr")
    assert response.status_code == 200
    premises.refresh_from_db()
    gone = Client().get(old)
    assert gone.status_code == 404
    assert "该二维码已失效" in gone.content.decode()
    assert Client().get(f"/f/{premises.qr_token}/").status_code == 200
    assert response.json()["farm_page_url"].endswith(f"/f/{premises.qr_token}/")
