"""A slaughterhouse day, through the API: pigs from a farm arrive on a certificate, the vet
opens a batch with the ante-mortem check, records the post-mortem with one condemned animal
(to the disposal plant), issues 产品A for part of the meat and 产品B for the rest; the county
the 产品B lot went to splits it; the consumer opens the page from the QR code; an investigation
from a product certificate reaches the farm and alerts its county. Refusals in Chinese."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core.pdfproof import assert_inside, render_png
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Stock
from earmark.movements.models import Alert, Death
from earmark.quarantine.models import Certificate
from earmark.slaughter.models import ProductCertificate, SlaughterBatch

QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _post(user: User | None, url: str, **body: Any) -> Any:
    return client_for(user).post(
        f"/api/v1{url}", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )


@pytest.fixture
def slaughterhouse(make_premises: Any) -> Premises:
    return make_premises(name="南关定点屠宰场", kind="slaughterhouse", stock={})


@pytest.fixture
def received(certified: Certificate, slaughterhouse: Premises, vet: User) -> Certificate:
    """南岭生猪场's pigs 1–10 arrived and inspected at 南关定点屠宰场, their tags recovered."""
    inspected = _post(
        vet,
        "/slaughter-inspections",
        certificate=certified.number,
        premises=slaughterhouse.code,
        tags=f"{pig(1)}-{pig(10)}",
        passed=True,
    )
    assert inspected.status_code == 201, inspected.json()
    return certified


@pytest.fixture
def passed(
    received: Certificate, slaughterhouse: Premises, vet: User, make_premises: Any
) -> SlaughterBatch:
    opened = _post(
        vet,
        "/slaughter-batches",
        premises=slaughterhouse.code,
        sources=[{"certificate": received.number, "count": 10}],
        ante_result="passed",
        tags=f"{pig(1)}-{pig(10)}",
    )
    assert opened.status_code == 201, opened.json()
    plant = make_premises(name="南关无害化处理厂", kind="disposal", stock={})
    closed = _post(
        vet,
        f"/slaughter-batches/{opened.json()['number']}/inspect",
        findings={"liver": "一头肝脏严重淤血", "lungs": "未见异常"},
        condemned=1,
        condemned_tags=pig(3),
        condemned_kg="85.5",
        disposal_plant=plant.code,
        quality_certificate="PZ2026-0001",
        products=[
            {"kind": "carcass", "quantity": 9, "weight_kg": "810.0"},
            {"kind": "offal", "quantity": 9, "weight_kg": "120.0"},
        ],
    )
    assert closed.status_code == 200, closed.json()
    return SlaughterBatch.objects.get(number=opened.json()["number"])


def test_the_batch_takes_its_animals_from_the_stock_once(
    received: Certificate, slaughterhouse: Premises, vet: User
) -> None:
    body = {
        "premises": slaughterhouse.code,
        "sources": [{"certificate": received.number, "count": 6}],
        "ante_result": "passed",
    }
    assert _post(vet, "/slaughter-batches", **body).status_code == 201
    assert Stock.objects.get(premises=slaughterhouse, species="pig").quantity == 4
    beyond = _post(
        vet,
        "/slaughter-batches",
        **{**body, "sources": [{"certificate": received.number, "count": 5}]},
    )
    assert beyond.status_code == 422 and beyond.json()["code"] == "slaughter_beyond_certificate"
    suspect = _post(vet, "/slaughter-batches", **{**body, "ante_result": "suspect"})
    assert suspect.json()["detail"]["fields"]["ante_signs"] == ["请描述所见临床症状。"]
    stray = _post(
        vet,
        "/slaughter-batches",
        **{**body, "sources": [{"certificate": received.number, "count": 4}], "tags": pig(40)},
    )
    assert stray.status_code == 422 and "tags" in stray.json()["detail"]["fields"]


def test_a_slaughterhouse_day_from_farm_to_shop(
    passed: SlaughterBatch,
    vet: User,
    make_user: MakeUser,
    county_officer: User,
    signing_key_path: Path,
) -> None:
    batch = passed
    assert batch.status == "passed" and batch.condemned == 1
    # What was condemned reaches the disposal plant's records, waiting for its confirmation.
    [condemned] = Death.objects.filter(disposal_plant=batch.disposal_plant)
    assert condemned.count == 1 and batch.number in condemned.cause
    today = timezone.localdate()
    leaving = {
        "batch": batch.number,
        "product": "carcass",
        "quantity": 5,
        "weight_kg": "450.0",
        "owner_name": "哈尔滨鲜肉批发部",
        "destination_province": "230000",
        "destination": "黑龙江省哈尔滨市道里区农贸市场",
        "vehicle_plate": "吉A7D521",
    }
    eighth = _post(
        vet, "/product-certificates", **leaving, valid_until=str(today + timedelta(days=7))
    )
    assert eighth.status_code == 422
    assert eighth.json()["detail"]["fields"]["valid_until"] == [
        f"本次运输的有效期最长至 {today + timedelta(days=6)}。"
    ]
    nobody = _post(vet, "/product-certificates", **{**leaving, "owner_name": " "})
    assert nobody.json()["code"] == "product_certificate_refused"
    assert nobody.json()["detail"]["fields"]["owner_name"] == ["请填写货主。"]
    product_a = _post(vet, "/product-certificates", **leaving)
    assert product_a.status_code == 201, product_a.json()
    assert product_a.json()["kind"] == "A"
    assert product_a.json()["valid_until"] == str(today + timedelta(days=6))
    within = {
        **leaving,
        "quantity": 4,
        "weight_kg": "360.0",
        "owner_name": "宽城区肉食店",
        "destination_province": "220000",
        "destination_region": "220103",
        "destination": "长春路88号",
    }
    product_b = _post(vet, "/product-certificates", **within)
    assert product_b.status_code == 201, product_b.json()
    assert (product_b.json()["kind"], product_b.json()["valid_until"]) == ("B", str(today))
    over = _post(vet, "/product-certificates", **{**within, "quantity": 1, "weight_kg": "1.0"})
    assert over.status_code == 422 and over.json()["code"] == "over_certified"
    assert "还可出证 0 件" in over.json()["message"]

    # 宽城区 passes two carcasses of the lot on to a shop; what remains is recorded.
    kuancheng = make_user("220103", (Role.OFFICIAL_VET,), username="kuancheng-vet")
    number_b = product_b.json()["number"]
    shop = {
        "product": "carcass",
        "quantity": 2,
        "weight_kg": "180.0",
        "owner_name": "宽城区第一中学食堂",
        "destination_province": "220000",
        "destination_region": "220103002",
        "destination": "学校食堂",
    }
    assert _post(vet, f"/product-certificates/{number_b}/split", **shop).status_code == 403
    split = _post(kuancheng, f"/product-certificates/{number_b}/split", **shop)
    assert split.status_code == 201, split.json()
    assert ProductCertificate.objects.get(number=number_b).remaining_quantity == 2
    too_much = _post(
        kuancheng, f"/product-certificates/{number_b}/split", **{**shop, "quantity": 3}
    )
    assert too_much.status_code == 422 and too_much.json()["code"] == "over_certified"

    # The consumer scans the code on the canteen's certificate.
    child = ProductCertificate.objects.get(number=split.json()["number"])
    pdf = client_for(kuancheng).get(f"/api/v1/product-certificates/{child.number}/pdf")
    [page] = assert_inside(pdf.content)
    flat = "".join(page.split())
    assert "动物检疫合格证明（产品B）" in flat and f"由{number_b}分销换证" in flat
    render_png(pdf.content, "product-certificate-B")
    image = PdfReader(io.BytesIO(pdf.content)).pages[0].images[0]
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)), formats=QR)
    link = urlsplit(code.text)
    # Offline, with the province's public key only: the code is the province's.
    out = io.StringIO()
    public_key = signing_key_path.with_suffix(".pub.pem")
    call_command("verify-certificate", code.text, "--public-key", str(public_key), stdout=out)
    assert "signature valid" in out.getvalue() and f'"pa": "{number_b}"' in out.getvalue()
    public = client_for(None).get(f"{link.path}?{link.query}")
    assert public.status_code == 200
    text = public.content.decode()
    for expected in ("有效", "真实", "南关定点屠宰场", "南关区", "南岭街道", "口蹄疫"):
        assert expected in text, expected
    # Nothing a member of the public may not know: no tag, no farm name (by default), no vet.
    for secret in (pig(1), "南岭生猪场", "王五", str(vet)):
        assert secret not in text, secret

    # A finding in the canteen: back to the batch and the farm, forward to every certificate.
    # A county that neither slaughtered, certified nor received it sees nothing of it.
    chaoyang = make_user("220104", (Role.COUNTY_OFFICER,), username="chaoyang-officer")
    trace = client_for(chaoyang).get(f"/api/v1/product-certificates/{child.number}/trace")
    assert trace.status_code == 404
    assert client_for(chaoyang).get(f"/p/{child.number}/").status_code == 200  # the public page
    chain = client_for(kuancheng).get(f"/api/v1/product-certificates/{child.number}/trace").json()
    assert chain["batch"] == batch.number and any("南岭生猪场" in f for f in chain["farms"])
    assert set(chain["products"]) == {product_a.json()["number"], number_b, child.number}
    # The tag's trace goes on past the slaughter inspection: its batch and the meat's papers.
    steps = client_for(county_officer).get(f"/api/v1/tags/{pig(5)}/trace").json()["steps"]
    after = [
        (s["kind"], s["document"])
        for s in steps
        if s["kind"] in ("slaughter_batch", "product_certificate")
    ]
    assert after[0] == ("slaughter_batch", batch.number)
    assert {d for _k, d in after[1:]} == {product_a.json()["number"], number_b, child.number}
    condemned = client_for(county_officer).get(f"/api/v1/tags/{pig(3)}/trace").json()["steps"]
    assert next(s for s in condemned if s["kind"] == "slaughter_batch")["details"]["condemned"]
    reported = _post(
        kuancheng, f"/product-certificates/{child.number}/report", finding="检出瘦肉精"
    )
    assert reported.status_code == 201 and reported.json() == {"alerts": 1}
    # The statistics (and the bulletin's figures) count the day, by the slaughterhouse's place.
    figures = client_for(county_officer).get("/api/v1/statistics").json()["total"]["figures"]
    assert (
        figures["slaughter_batches"],
        figures["slaughtered"],
        figures["condemned"],
        figures["product_certificates"],
    ) == (1, 10, 1, 3)
    alert = Alert.objects.get(kind="disease")
    assert alert.county_id == "220102" and "检出瘦肉精" in alert.message


def test_nothing_of_a_blocked_batch_is_certified(
    received: Certificate, slaughterhouse: Premises, vet: User
) -> None:
    opened = _post(
        vet,
        "/slaughter-batches",
        premises=slaughterhouse.code,
        sources=[{"certificate": received.number, "count": 10}],
        ante_result="suspect",
        ante_signs="3头体温升高、精神沉郁",
    ).json()
    number = opened["number"]
    closed = _post(vet, f"/slaughter-batches/{number}/inspect", notifiable="非洲猪瘟（疑似）")
    assert closed.json()["status"] == "blocked"
    assert Alert.objects.filter(kind="disease", county_id="220102").count() == 1
    refused = _post(
        vet,
        "/product-certificates",
        batch=number,
        product="carcass",
        quantity=1,
        weight_kg="90.0",
        owner_name="某批发部",
        destination_province="220000",
        destination_region="220102",
        destination="某地",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "batch_wrong_status"
    again = _post(vet, f"/slaughter-batches/{number}/inspect", products=[])
    assert again.status_code == 409


def test_a_revoked_product_certificate_is_replaced_once(passed: SlaughterBatch, vet: User) -> None:
    lot = {
        "batch": passed.number,
        "product": "carcass",
        "quantity": 9,
        "weight_kg": "810.0",
        "owner_name": "南关农贸市场",
        "destination_province": "220000",
        "destination_region": "220102",
        "destination": "南关农贸市场",
    }
    first = _post(vet, "/product-certificates", **lot).json()["number"]
    valid = _post(vet, "/product-certificates", **{**lot, "supersedes": first})
    assert valid.status_code == 422 and valid.json()["code"] == "not_replaceable"
    unexplained = _post(vet, f"/product-certificates/{first}/revoke", reason=" ")
    assert unexplained.json()["code"] == "product_certificate_refused"
    revoked = _post(vet, f"/product-certificates/{first}/revoke", reason="货主名称填错")
    assert revoked.json()["status"] == "revoked"
    # Nothing of a revoked certificate is passed on.
    onward = _post(
        vet,
        f"/product-certificates/{first}/split",
        **{**lot, "quantity": 1, "weight_kg": "90.0", "destination_region": "220102001"},
    )
    assert onward.status_code == 422 and onward.json()["code"] == "not_splittable"
    # What the revoked certificate certified is free again, for its replacement only once.
    replacement = _post(vet, "/product-certificates", **{**lot, "supersedes": first})
    assert replacement.status_code == 201 and replacement.json()["supersedes"] == first
    twice = _post(vet, "/product-certificates", **{**lot, "quantity": 1, "supersedes": first})
    assert twice.status_code == 422 and twice.json()["code"] == "not_replaceable"
    pdf = client_for(vet).get(f"/api/v1/product-certificates/{replacement.json()['number']}/pdf")
    [page] = assert_inside(pdf.content)
    assert f"替换已撤销的证明{first}" in "".join(page.split())


def test_the_batch_and_its_product_certificates_reach_the_national_platform(
    passed: SlaughterBatch, vet: User, platform: Any
) -> None:
    """Through the worker over HTTP to the shipped platform simulator, like every event."""
    from earmark.exchange.worker import run

    issued = _post(
        vet,
        "/product-certificates",
        batch=passed.number,
        product="offal",
        quantity=9,
        weight_kg="120.0",
        owner_name="南关农贸市场",
        destination_province="220000",
        destination_region="220102",
        destination="南关农贸市场",
    ).json()
    for _ in range(20):
        if not run(once=True):
            break
    received = {e["type"]: e["payload"] for e in platform.events}
    batch = received["slaughter.batch_inspected"]
    assert (batch["batch"], batch["count"], batch["condemned"]) == (passed.number, 10, 1)
    product = received["product_certificate.issued"]
    assert (product["number"], product["batch"], product["kind"]) == (
        issued["number"],
        passed.number,
        "B",
    )
