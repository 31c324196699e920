from __future__ import annotations

import io
import re
from typing import Any

import zxingcpp
from django.contrib.auth.hashers import check_password
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from earmark.accounts.models import User
from earmark.core.pdfproof import assert_travels
from earmark.core.testing import client_for
from earmark.farms.models import Premises


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


def test_repeated_wrong_pins_lock_the_page(county_officer: User, make_premises: Any) -> None:
    premises = make_premises()
    pin = _issue_pin(county_officer, premises)
    wrong = "000000" if pin != "000000" else "111111"
    url = f"/f/{premises.qr_token}/"
    for _ in range(4):
        assert "密码错误。" in Client().post(url, {"pin": wrong}).content.decode()
    locked = Client().post(url, {"pin": wrong}).content.decode()
    assert "密码错误次数过多，请 15 分钟后再试。" in locked
    still_locked = Client().post(url, {"pin": pin}).content.decode()
    assert "密码错误次数过多" in still_locked
    assert 'name="pin"' in still_locked


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
