from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import zxingcpp
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import pig
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Stock
from earmark.immunization.models import Animal
from earmark.quarantine.fixtures import leaving_journey
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def _ready(declaration: Declaration, station_officer: User, vet: User) -> Declaration:
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    return declaration_inspect(
        actor=vet, declaration=declaration, passed=True, notes="临床检查健康"
    )


def _issue(vet: User, declaration: Declaration, **extra: Any) -> Any:
    return client_for(vet).post(
        "/api/v1/certificates",
        {"declaration": declaration.number, **extra},
        content_type="application/json",
    )


def test_the_station_accepts_the_vet_inspects_and_issues(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = declared()
    accepted = client_for(station_officer).post(f"/api/v1/declarations/{declaration.number}/accept")
    assert accepted.json()["status"] == "accepted"
    too_early = _issue(vet, declaration)
    assert too_early.json()["message"] == "须经现场检疫合格后才能出具检疫证明。"
    inspected = client_for(vet).post(
        f"/api/v1/declarations/{declaration.number}/inspect",
        {"passed": True, "notes": "临床检查健康"},
        content_type="application/json",
    )
    assert inspected.json()["status"] == "inspected"
    issued = _issue(vet, declaration)
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    year = timezone.localdate().strftime("%y")
    assert body["number"] == f"222{year}0000001"
    departure = timezone.localtime(declaration.planned_departure).date()
    assert (body["kind"], body["state"], body["valid_from"], body["valid_until"]) == (
        "B",
        "valid",
        timezone.localdate().isoformat(),
        departure.isoformat(),
    )
    assert body["destination_premises"] is None
    assert body["planned_departure"] is not None
    assert body["tags"] == [f"{pig(1)}-{pig(10)}"]
    assert Stock.objects.get(premises=declaration.premises).quantity == 40
    assert set(Tag.objects.filter(number__lte=int(pig(10))).values_list("state", flat=True)) == {
        "in_transit"
    }
    assert Animal.objects.filter(status="in_transit").count() == 10
    declaration.refresh_from_db()
    assert declaration.status == "certified"


def test_numbers_are_gap_free_per_type_and_year(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    request: pytest.FixtureRequest,
) -> None:
    leaving = leaving_journey(request, "吉A12345")
    first = _ready(declared(numbers=f"{pig(1)}-{pig(5)}", quantity=5), station_officer, vet)
    second = _ready(
        declared(
            numbers=f"{pig(6)}-{pig(10)}",
            quantity=5,
            destination_province="210000",
            destination_region="",
            destination_address="沈阳市",
        ),
        station_officer,
        vet,
    )
    third = _ready(declared(numbers=f"{pig(11)}-{pig(15)}", quantity=5), station_officer, vet)
    year = timezone.localdate().strftime("%y")
    numbers = [
        certificate_issue(actor=vet, declaration=d, journey=leaving if d is second else None).number
        for d in (first, second, third)
    ]
    assert numbers == [f"222{year}0000001", f"221{year}0000001", f"222{year}0000002"]
    with pytest.raises(BusinessError):
        certificate_issue(
            actor=vet,
            declaration=_ready(declared(numbers=pig(16), quantity=1), station_officer, vet),
            validity_days=6,
        )
    assert Certificate.objects.get(number=numbers[1]).kind == "A"


def test_the_pdf_holds_every_tag_and_a_signed_qr_code(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    signing_key_path: Any,
    tmp_path: Any,
) -> None:
    declaration = _ready(
        declared(numbers=f"{pig(1)}-{pig(4)} {pig(7)}-{pig(12)}", quantity=10), station_officer, vet
    )
    number = _issue(vet, declaration).json()["number"]
    pdf = client_for(vet).get(f"/api/v1/certificates/{number}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    text = page.extract_text()
    assert "动物检疫合格证明（动物B）" in text and number in text and "吉A12345" in text
    printed = re.findall(r"(\d{15})(?:-(\d{15}))?", text.replace("\n", ""))
    covered = RangeSet.of((int(a), int(b or a)) for a, b in printed)
    assert covered == RangeSet.of([(int(pig(1)), int(pig(4))), (int(pig(7)), int(pig(12)))])
    image = page.images[0]
    # Only QR codes: a stray match of a linear format in the modules must not count.
    [code] = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(image.data)),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
    )
    url = urlparse(code.text)
    assert url.path == f"/verify/{number}/"
    payload = parse_qs(url.query)["p"][0]
    public_key = signing_key_path.with_suffix(".pub.pem")
    out = io.StringIO()
    call_command("verify-certificate", code.text, "--public-key", str(public_key), stdout=out)
    assert "signature valid" in out.getvalue() and number in out.getvalue()
    photo = tmp_path / "qr.png"
    photo.write_bytes(image.data)
    from_photo = io.StringIO()
    call_command(
        "verify-certificate", str(photo), "--public-key", str(public_key), stdout=from_photo
    )
    assert f'"n": "{number}"' in from_photo.getvalue()
    body, signature = payload.split(".")
    tampered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + signature
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("verify-certificate", tampered, "--public-key", str(public_key))
    online = (
        client_for(None)
        .post("/api/v1/certificates/verify", {"payload": payload}, content_type="application/json")
        .json()
    )
    assert (online["signature_valid"], online["state"], online["matches_record"]) == (
        True,
        "valid",
        True,
    )
    assert online["fields"]["t"] == f"{pig(1)}-{pig(4)},{pig(7)}-{pig(12)}"
    bad = (
        client_for(None)
        .post("/api/v1/certificates/verify", {"payload": tampered}, content_type="application/json")
        .json()
    )
    assert bad["signature_valid"] is False
    key = client_for(None).get("/api/v1/signing-keys/current").json()
    assert key["public_key_pem"] == public_key.read_text()


def test_a_revoked_certificate_gives_the_tags_and_stock_back_and_can_be_replaced(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = _ready(declared(), station_officer, vet)
    number = _issue(vet, declaration).json()["number"]
    client = client_for(vet)
    no_reason = client.post(
        f"/api/v1/certificates/{number}/revoke", {"reason": " "}, content_type="application/json"
    )
    assert no_reason.json()["message"] == "请填写撤销原因。"
    revoked = client.post(
        f"/api/v1/certificates/{number}/revoke",
        {"reason": "车辆更换"},
        content_type="application/json",
    )
    assert revoked.json()["state"] == "revoked"
    twice = client.post(
        f"/api/v1/certificates/{number}/revoke",
        {"reason": "再次撤销"},
        content_type="application/json",
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "certificate_not_valid")
    assert Stock.objects.get(premises=declaration.premises).quantity == 50
    # Only a revoked certificate of this very declaration is replaced.
    other = _ready(declared(quantity=2, numbers=f"{pig(11)}-{pig(12)}"), station_officer, vet)
    others = _issue(vet, other).json()["number"]
    wrong = _issue(vet, declaration, supersedes=others)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "not_replaceable")
    assert set(Tag.objects.filter(number__lte=int(pig(10))).values_list("state", flat=True)) == {
        "applied"
    }
    replacement = _issue(vet, declaration, supersedes=number)
    assert replacement.status_code == 201, replacement.json()
    assert replacement.json()["supersedes"] == number
    online = client_for(None).get(f"/verify/{number}/").content.decode()
    assert "已撤销" in online


def test_rejection_needs_a_reason_the_farm_sees(
    declared: Callable[..., Declaration], station_officer: User
) -> None:
    declaration = declared()
    client = client_for(station_officer)
    assert (
        client.post(
            f"/api/v1/declarations/{declaration.number}/reject",
            {"reason": ""},
            content_type="application/json",
        ).status_code
        == 400
    )
    rejected = client.post(
        f"/api/v1/declarations/{declaration.number}/reject",
        {"reason": "车辆未消毒"},
        content_type="application/json",
    )
    assert (rejected.json()["status"], rejected.json()["reject_reason"]) == (
        "rejected",
        "车辆未消毒",
    )
    again = declared()  # the tags are free again once the declaration is closed
    assert again.status == "submitted"


def test_roles_and_jurisdiction_are_enforced(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    outsider: User,
    county_officer: User,
) -> None:
    declaration = declared()
    assert (
        client_for(vet).post(f"/api/v1/declarations/{declaration.number}/accept").status_code == 403
    )
    assert (
        client_for(outsider).post(f"/api/v1/declarations/{declaration.number}/accept").status_code
        == 404
    )
    client_for(station_officer).post(f"/api/v1/declarations/{declaration.number}/accept")
    failing = client_for(county_officer).post(
        f"/api/v1/declarations/{declaration.number}/inspect",
        {"passed": True},
        content_type="application/json",
    )
    assert failing.status_code == 403
    assert client_for(outsider).get(f"/api/v1/declarations/{declaration.number}").status_code == 404
    assert client_for(outsider).get("/api/v1/declarations").json()["count"] == 0
    assert client_for(None).get("/api/v1/declarations").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_two_certificates_for_the_same_tags_at_once_leave_one_winner(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = _ready(declared(), station_officer, vet)

    def attempt() -> str:
        certificate_issue(actor=vet, declaration=declaration)
        return "issued"

    results = sorted(
        race([attempt, attempt], hold="earmark.quarantine.services.certificates.audit_record")
    )
    assert results == ["declaration_wrong_status", "issued"]
    assert Certificate.objects.count() == 1
    assert Stock.objects.get(premises=declaration.premises).quantity == 40


def test_revoking_a_certificate_and_its_state_are_one_word(
    certified: Certificate, vet: User
) -> None:
    """The page offers 撤销 and the revoked certificate reads 已撤销 — not 吊销 beside it (#38)."""
    page = client_for(vet).get(f"/quarantine/certificates/{certified.number}/").content.decode()
    assert "<summary>撤销</summary>" in page and "吊销" not in page
