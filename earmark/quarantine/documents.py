"""The printed certificate, A4, laid out as the national forms 动物检疫合格证明（动物A）and
（动物B）: the form's own wording in Chinese, whatever the page's language, every font embedded."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle

from earmark.core.fonts import SANS, SANS_BOLD
from earmark.core.pdf import a4_pdf, para
from earmark.core.species import species_label, species_unit
from earmark.eartags.codes import format_range
from earmark.eartags.ranges import RangeSet
from earmark.immunization.selectors.records import ImmunizationLine, immunization_summary
from earmark.quarantine.models import Certificate, TransportMode
from earmark.quarantine.services.certificates import place_and_detail
from earmark.quarantine.services.payloads import qr_url
from earmark.regions.provinces import PROVINCES
from earmark.regions.selectors import region_names

MODES = {
    TransportMode.ROAD: "公路",
    TransportMode.RAIL: "铁路",
    TransportMode.WATER: "水路",
    TransportMode.AIR: "航空",
}
PURPOSES = {
    "raising": "饲养",
    "slaughter": "屠宰",
    "breeding": "种用",
    "dairy": "乳用",
    "show": "展示、比赛",
    "other": "其他",
}
KINDS = {
    "farm": "养殖场",
    "household": "养殖户",
    "slaughterhouse": "屠宰场",
    "market": "交易市场",
    "disposal": "无害化处理场",
}
WIDTH = 178 * mm
GRID = colors.HexColor("#333333")


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=20, leading=26, alignment=1),
        "number": ParagraphStyle("number", fontName=SANS, fontSize=10, leading=14, alignment=2),
        "label": ParagraphStyle("label", fontName=SANS_BOLD, fontSize=10, leading=13),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=10, leading=14),
        "small": ParagraphStyle("small", fontName=SANS, fontSize=8, leading=11),
        "revoked": ParagraphStyle(
            "revoked", fontName=SANS_BOLD, fontSize=12, leading=16, textColor=colors.red
        ),
    }


def _origin(certificate: Certificate, names: dict[str, list[str]]) -> str:
    premises = certificate.premises
    place = place_and_detail(names.get(certificate.township_code, []), premises.address)
    return f"{place}（{KINDS.get(premises.kind, '')}：{premises.name} {premises.code}）"


def _destination(certificate: Certificate, names: dict[str, list[str]]) -> str:
    """The destination's province to township and its premises with their kind; for an address
    only, the address the declaration gave under the region it named (never a place twice)."""
    region = certificate.destination_region_id
    place = names[region] if region else [PROVINCES.get(certificate.destination_province, "")]
    target = certificate.destination_premises
    if target is not None:
        return f"{''.join(place)}（{KINDS.get(target.kind, '')}：{target.name} {target.code}）"
    return place_and_detail(place, certificate.declaration.destination_address)


def _immunization(lines: list[ImmunizationLine], quantity: int) -> list[str]:
    """免疫情况, one compulsory disease a line: vaccines, dates and how many animals."""
    parts = []
    for line in lines:
        if line.first is None or line.last is None:
            parts.append(f"{line.disease}：无免疫记录")
            continue
        days = (
            line.first.isoformat()
            if line.first == line.last
            else f"{line.first.isoformat()} 至 {line.last.isoformat()}"
        )
        count = "" if line.animals == quantity else f"（{line.animals}头/只有记录）"
        parts.append(f"{line.disease}：{'、'.join(line.vaccines)}，{days}{count}")
    return parts or ["无强制免疫病种"]


def _box(lines: list[str], style: ParagraphStyle, height: float) -> Table:
    """A marked area to stamp (检疫专用章, the checkpoint's stamp)."""
    box = Table([[[para(line, style) for line in lines]]], colWidths=[52 * mm], rowHeights=[height])
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID, None, (3, 2)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    return box


def _watermark(certificate: Certificate) -> Any:
    """已撤销 across every page of a revoked certificate."""

    def draw(canvas: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.85, 0, 0, alpha=0.22))
        canvas.setFont(SANS_BOLD, 110)
        canvas.translate(105 * mm, 148 * mm)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, "已撤销")
        canvas.setFont(SANS_BOLD, 28)
        canvas.drawCentredString(0, -22 * mm, "REVOKED · 作废")
        canvas.restoreState()

    return draw


def certificate_pdf(certificate: Certificate) -> bytes:
    style = _styles()
    leaving = certificate.kind == Certificate.Kind.A
    numbers = RangeSet.of(certificate.ranges.values_list("first", "last"))
    issued = timezone.localtime(certificate.issued_at)
    names = region_names(codes=[certificate.township_code, certificate.destination_region_id or ""])
    immunization = immunization_summary(
        numbers=numbers,
        species=certificate.species,
        county_code=certificate.county_code,
        on=issued.date(),
    )
    vet = certificate.issued_by
    agency = vet.agency.name if vet.agency is not None else ""
    days = (certificate.valid_until - certificate.valid_from).days + 1

    def label(text: str) -> Paragraph:
        return para(text, style["label"])

    def value(text: object) -> Paragraph:
        return para(text, style["cell"])

    rows: list[list[Any]] = [
        [
            label("货主"),
            value(certificate.owner_name),
            label("联系电话"),
            value(certificate.owner_phone),
        ],
        [
            label("动物种类"),
            value(species_label(certificate.species)),
            label("数量及单位"),
            value(f"{certificate.quantity} {species_unit(certificate.species) or '头'}"),
        ],
        [label("启运地点"), value(_origin(certificate, names)), "", ""],
        [label("到达地点"), value(_destination(certificate, names)), "", ""],
        [
            label("用途"),
            value(PURPOSES.get(certificate.purpose, certificate.get_purpose_display())),
            label("运载工具牌号"),
            value(certificate.vehicle_plate),
        ],
    ]
    spans = [2, 3]
    if leaving:
        modes = "  ".join(
            f"{'■' if mode == certificate.transport_mode else '□'}{name}"
            for mode, name in MODES.items()
        )
        rows += [
            [
                label("承运人"),
                value(certificate.carrier_name),
                label("联系电话"),
                value(certificate.carrier_phone),
            ],
            [label("运载方式"), value(modes), "", ""],
            [
                label("运载工具消毒情况"),
                value(f"装运前经 {certificate.disinfection or '＿＿＿＿'} 消毒"),
                "",
                "",
            ],
            [label("指定通道"), value(certificate.checkpoint or "＿＿＿＿"), "", ""],
        ]
        spans += [len(rows) - 3, len(rows) - 2, len(rows) - 1]
    rows.append(
        [
            value(
                f"本批动物经检疫合格，应于 {days} 日内到达有效（{certificate.valid_from}"
                f" 至 {certificate.valid_until}）。"
            ),
            "",
            "",
            "",
        ]
    )
    sentence = len(rows) - 1
    tags = "、".join(format_range(first, last) for first, last in numbers)
    rows.append([label("牲畜耳标号"), para(tags, style["small"]), "", ""])
    spans.append(len(rows) - 1)
    lines = _immunization(immunization, certificate.quantity)
    rows.append([label("免疫情况"), [value(line) for line in lines], "", ""])
    spans.append(len(rows) - 1)
    if certificate.supersedes is not None:
        rows.append(
            [label("备注"), value(f"替换已撤销的证明 {certificate.supersedes.number}"), "", ""]
        )
        spans.append(len(rows) - 1)
    rows.append(
        [
            label("官方兽医签字"),
            value(str(vet)),
            label("签发日期"),
            value(f"{issued.year}年{issued.month}月{issued.day}日"),
        ]
    )
    rows.append([label("签发机构"), value(agency), "", ""])
    spans.append(len(rows) - 1)
    table = Table(rows, colWidths=[30 * mm, 66 * mm, 28 * mm, 54 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("SPAN", (0, sentence), (3, sentence)),
                *[("SPAN", (1, row), (3, row)) for row in spans],
            ]
        )
    )
    qr = io.BytesIO()
    # A quiet zone of four modules, as ISO/IEC 18004 asks, so any reader finds the code.
    segno.make_qr(qr_url(certificate), error="m").save(qr, kind="png", scale=4, border=4)
    qr.seek(0)
    stamps: list[Any] = [
        _box([agency or "动物卫生监督所", "（检疫专用章）"], style["small"], 40 * mm)
    ]
    if leaving:
        stamps.append(_box(["动物卫生监督检查站签章"], style["small"], 40 * mm))
    footer = Table(
        [
            [
                Image(qr, width=38 * mm, height=38 * mm, kind="proportional"),
                *stamps,
            ]
        ],
        colWidths=[62 * mm, *([58 * mm] * len(stamps))],
    )
    footer.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    kind = "动物A" if leaving else "动物B"
    story: list[Any] = [
        para(f"动物检疫合格证明（{kind}）", style["title"]),
        para(f"编号：{certificate.number}", style["number"]),
        Spacer(1, 3 * mm),
    ]
    if certificate.status == Certificate.Status.REVOKED:
        story.append(para(f"本证明已撤销：{certificate.revoked_reason}", style["revoked"]))
        story.append(Spacer(1, 2 * mm))
    story += [
        table,
        Spacer(1, 5 * mm),
        footer,
        para("扫码核验：二维码由省级签名，证明内容被改动即核验不通过。", style["small"]),
    ]
    on_page = _watermark(certificate) if certificate.status == Certificate.Status.REVOKED else None
    return a4_pdf(story, title=f"动物检疫合格证明 {certificate.number}", on_page=on_page)
