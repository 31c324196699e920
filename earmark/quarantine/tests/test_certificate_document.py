"""The printed certificate read back as an official reads it: the national form's fields, the
places named once, the journey, 免疫情况, the vet and agency, stamp areas, a QR code with its
quiet zone, every font embedded and every character a glyph (PNGs kept in test-artifacts/)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import zxingcpp
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from earmark.accounts.models import User
from earmark.core.pdfproof import assert_travels, render_png
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Checkpoint
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.certificates import (
    Journey,
    certificate_issue,
    certificate_revoke,
)
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def _flat(pdf: bytes) -> str:
    """The text without its line breaks and spaces (where a cell wraps is the layout's)."""
    return "".join(assert_travels(pdf).text.split())


def _named_vet(vet: User) -> User:
    vet.full_name = "王志强"
    vet.save(update_fields=["full_name"])
    return vet


def _ready(declaration: Declaration, station_officer: User, vet: User) -> Declaration:
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    return declaration_inspect(actor=vet, declaration=declaration, passed=True)


def _pdf(vet: User, certificate: Certificate, query: str = "") -> bytes:
    response = client_for(vet).get(f"/api/v1/certificates/{certificate.number}/pdf{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return bytes(response.content)


def test_a_type_a_certificate_reads_as_the_national_form(
    declared_ahead: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    designated_checkpoint: Checkpoint,
) -> None:
    vet = _named_vet(vet)
    declaration = _ready(
        declared_ahead(
            purpose="raising",
            destination_province="230000",
            destination_region="",
            # Typed with its province, which the certificate must not print twice.
            destination_address="黑龙江省哈尔滨市双城区兴旺养殖场",
        ),
        station_officer,
        vet,
    )
    certificate = certificate_issue(
        actor=vet,
        declaration=declaration,
        journey=Journey("rail", "过氧乙酸喷雾", "JL-ZD-001"),
    )
    pdf = _pdf(vet, certificate, "?part=carried")
    text = _flat(pdf)
    for expected in (
        "动物检疫合格证明（动物A）",
        f"编号：{certificate.number}",
        "货主王五联系电话13800000000",
        "动物种类猪数量及单位10头",
        "吉林省长春市南关区南岭街道",
        "到达地点黑龙江省哈尔滨市双城区兴旺养殖场",
        # Pigs sent to be raised: 仔猪, as the 2019 notice names them.
        "用途仔猪",
        "承运人赵运输联系电话13700001111",
        "运载工具牌号吉A12345",
        "■铁路",
        "□公路",
        "装运前经过氧乙酸喷雾消毒",
        "指定通道拉林河检查站",
        f"应于{(certificate.valid_until - certificate.valid_from).days + 1}日内到达有效",
        f"{pig(1)}-{pig(10)}",
        "免疫情况口蹄疫",
        "猪口蹄疫O型灭活疫苗",
        (timezone.localdate() - timedelta(days=10)).isoformat(),
        "官方兽医签字王志强",
        f"签发机构{vet.agency.name}",
        "动物检疫专用章",
        "动物卫生监督检查站签章",
        "第二联随货同行（共二联）",
        "备注",
        "注：1.本证书一式两联",
        "跨省调运动物到达目的地后，货主或承运人应在24小时内",
    ):
        assert expected in text, expected
    # Each place once, the vet's name once and with no role before it.
    assert text.count("黑龙江省") == 1 and text.count("吉林省") == 1
    assert text.count("王志强") == 1 and "官方兽医王志强" not in text
    render_png(pdf, "certificate-A")

    image = PdfReader(io.BytesIO(pdf)).pages[0].images[0]
    picture = Image.open(io.BytesIO(image.data))
    [code] = zxingcpp.read_barcodes(
        picture, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    assert f"/verify/{certificate.number}/" in code.text
    # The quiet zone: at least four modules of white on every side of the symbol.
    modules = 17 + 4 * int(code.extra["Version"])
    left, right = code.position.top_left.x, code.position.top_right.x
    module = (right - left) / modules
    assert left / module >= 4 and (picture.width - right) / module >= 4


def test_a_type_b_certificate_has_no_journey_out_of_the_province(
    certified: Certificate, vet: User
) -> None:
    pdf = _pdf(vet, certified)
    text = _flat(pdf)
    assert "动物检疫合格证明（动物B）" in text and "检疫专用章" in text
    assert "用途屠宰" in text and "应于" in text and "免疫情况口蹄疫" in text
    for absent in ("承运人", "运载方式", "指定通道", "检查站签章", "本证明已撤销"):
        assert absent not in text, absent
    # Destination given as an address in 南关区: the region, then the address, once.
    assert "吉林省长春市南关区南关区定点屠宰场" not in text
    render_png(pdf, "certificate-B")


def test_a_revoked_certificate_says_so_across_the_page(certified: Certificate, vet: User) -> None:
    certificate_revoke(actor=vet, certificate=certified, reason="运输车辆更换")
    pdf = _pdf(vet, certified)
    text = _flat(pdf)
    # The line above the form, and the mark across the page.
    assert "本证明已撤销：运输车辆更换" in text and text.count("已撤销") >= 2
    assert "REVOKED" in text
    render_png(pdf, "certificate-revoked")


def test_the_journey_is_checked_where_it_comes_in(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = _ready(declared(), station_officer, vet)
    client = client_for(vet)

    def issue(**journey: Any) -> Any:
        return client.post(
            "/api/v1/certificates",
            {"declaration": declaration.number, **journey},
            content_type="application/json",
        )

    bad_mode = issue(transport_mode="ship")
    assert bad_mode.status_code == 400
    assert [*bad_mode.json()["detail"]["fields"]] == ["body.payload.transport_mode"]
    too_long = issue(disinfection="消" * 101)
    assert too_long.status_code == 400
    # A certificate within the province passes no designated checkpoint.
    inside = issue(checkpoint="拉林河检查站")
    assert inside.status_code == 422
    assert inside.json()["detail"]["fields"]["checkpoint"] == ["省内证明无需填写指定通道。"]
    issued = issue(transport_mode="road", disinfection="消毒液喷洒")
    assert issued.status_code == 201
    body = issued.json()
    assert (body["transport_mode"], body["disinfection"], body["checkpoint"]) == (
        "road",
        "消毒液喷洒",
        "",
    )
    assert declaration.certificates.count() == 1


def test_the_vet_records_the_journey_on_the_page_for_animals_leaving_the_province(
    declared: Callable[..., Declaration],
    station_officer: User,
    vet: User,
    designated_checkpoint: Checkpoint,
) -> None:
    away = _ready(
        declared(
            destination_province="230000",
            destination_region="",
            destination_address="黑龙江省哈尔滨市",
        ),
        station_officer,
        vet,
    )
    client = client_for(vet)
    url = f"/quarantine/declarations/{away.number}/"
    page = client.get(url).content.decode()
    assert 'name="transport_mode"' in page and 'name="checkpoint"' in page
    until = timezone.localtime(away.planned_departure).date().isoformat()
    client.post(
        url,
        {
            "action": "issue",
            "valid_until": until,
            "transport_mode": "rail",
            "disinfection": "过氧乙酸喷雾",
            "checkpoint": "拉林河检查站",
        },
    )
    certificate = away.certificates.get()
    assert (certificate.kind, certificate.transport_mode, certificate.checkpoint) == (
        "A",
        "rail",
        "拉林河检查站",
    )
    within = _ready(declared(numbers=f"{pig(11)}-{pig(12)}", quantity=2), station_officer, vet)
    # The form 动物B asks nothing of the journey but the vehicle's disinfection, which is kept.
    page = client.get(f"/quarantine/declarations/{within.number}/").content.decode()
    assert 'name="transport_mode"' not in page and 'name="checkpoint"' not in page
    assert 'name="disinfection"' in page
    client.post(
        f"/quarantine/declarations/{within.number}/",
        {
            "action": "issue",
            "valid_until": timezone.localtime(within.planned_departure).date().isoformat(),
            "disinfection": "次氯酸钠喷洒",
        },
    )
    assert (within.certificates.get().kind, within.certificates.get().disinfection) == (
        "B",
        "次氯酸钠喷洒",
    )
