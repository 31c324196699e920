"""The printed certificate, A4, laid out as the national forms 动物检疫合格证明（动物A）and
（动物B）: the form's own wording in Chinese, whatever the page's language, every font embedded.

Page 1 is the whole form (title, 编号, 联次, every field, 备注, the vet's signature, the stamp
动物检疫专用章, the QR code and the form's 注) for any number of animals; the tag numbers it has
no room for go to numbered annex pages (see ``annex``). Where this layout and the national form
differ, docs/documents.md says how and why."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, Spacer, Table, TableStyle

from earmark.core.fonts import SANS, SANS_BOLD
from earmark.core.pdf import a4_pdf, official, para, qr_image
from earmark.core.species import species_label, species_unit
from earmark.eartags.ranges import RangeSet
from earmark.immunization.selectors.records import ImmunizationLine, immunization_summary
from earmark.quarantine.annex import annex_story, number_entries, on_form
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
    "breeding": "种用",  # 种猪 for pigs (see ``purpose_on_form``)
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
# The two copies of the form (联次): the agency keeps the first, the second goes with the animals.
COPIES = {
    "stub": "第一联 动物卫生监督所留存（共二联）",
    "carried": "第二联 随货同行（共二联）",
}
# The 注 printed under each form, as the national forms word them (our annex for 注 3).
NOTES: dict[str, list[str]] = {
    "A": [
        "本证书一式两联，第一联由动物卫生监督所留存，第二联随货同行。",
        "跨省调运动物到达目的地后，货主或承运人应在24小时内向输入地动物卫生监督机构报告。",
        "牲畜耳标号可另附页填写，附页注明本检疫证明编号，并加盖检疫专用章。",
    ],
    "B": [
        "本证书一式两联，第一联由动物卫生监督所留存，第二联随货同行。",
        "本证书限省境内使用。",
        "牲畜耳标号可另附页填写，附页注明本检疫证明编号，并加盖检疫专用章。",
    ],
}
WIDTH = 172 * mm
GRID = colors.HexColor("#333333")


def form_styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", wordWrap="CJK", fontName=SANS_BOLD, fontSize=20, leading=26, alignment=1
        ),
        "number": ParagraphStyle(
            "number", wordWrap="CJK", fontName=SANS, fontSize=10, leading=14, alignment=2
        ),
        "note": ParagraphStyle("note", wordWrap="CJK", fontName=SANS, fontSize=8, leading=10.5),
        "label": ParagraphStyle(
            "label", wordWrap="CJK", fontName=SANS_BOLD, fontSize=10, leading=13
        ),
        "cell": ParagraphStyle("cell", wordWrap="CJK", fontName=SANS, fontSize=10, leading=14),
        "small": ParagraphStyle("small", wordWrap="CJK", fontName=SANS, fontSize=8, leading=11),
        "revoked": ParagraphStyle(
            "revoked",
            wordWrap="CJK",
            fontName=SANS_BOLD,
            fontSize=12,
            leading=16,
            textColor=colors.red,
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


def stamp_box(lines: list[str], style: ParagraphStyle, height: float) -> Table:
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


def revoked_mark(certificate: object) -> Any:
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


def purpose_on_form(certificate: Certificate) -> str:
    """用途 as the form and the ministry's 2019 notice name it: pigs kept for breeding are 种猪,
    pigs sent to be raised are 仔猪; other animals 种用, 饲养 and the rest."""
    if certificate.species == "pig" and certificate.purpose == "breeding":
        return "种猪"
    if certificate.species == "pig" and certificate.purpose == "raising":
        return "仔猪"
    return PURPOSES.get(certificate.purpose, certificate.purpose)


def _journey_rows(certificate: Certificate, label: Any, value: Any) -> list[list[Any]]:
    modes = "  ".join(
        f"{'■' if mode == certificate.transport_mode else '□'}{name}"
        for mode, name in MODES.items()
    )
    return [
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


def form_grid(rows: list[list[Any]], sentence: int) -> Table:
    """The form's grid of four columns (label, value, label, value): a row whose third cell is
    empty spans its value over the rest; the ``sentence`` row (本批…经检疫合格…) spans the whole."""
    spans = [row for row, cells in enumerate(rows) if cells[2] == "" and row != sentence]
    table = Table(rows, colWidths=[30 * mm, 64 * mm, 28 * mm, 50 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("SPAN", (0, sentence), (3, sentence)),
                *[("SPAN", (1, row), (3, row)) for row in spans],
            ]
        )
    )
    return table


def _fields(certificate: Certificate, facts: dict[str, Any], style: dict[str, Any]) -> Table:
    """The form's grid, from 货主 to 签发机构."""

    def label(text: str) -> Paragraph:
        return para(text, style["label"])

    def value(text: object) -> Paragraph:
        return para(text, style["cell"])

    names = facts["names"]
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
            value(purpose_on_form(certificate)),
            label("运载工具牌号"),
            value(certificate.vehicle_plate),
        ],
    ]
    if certificate.kind == Certificate.Kind.A:
        rows += _journey_rows(certificate, label, value)
    days = (certificate.valid_until - certificate.valid_from).days + 1
    within = "当日" if days == 1 else f" {days} 日"
    rows.append(
        [
            value(
                f"本批动物经检疫合格，应于{within}内到达有效（{certificate.valid_from}"
                f" 至 {certificate.valid_until}）。"
            ),
            "",
            "",
            "",
        ]
    )
    sentence = len(rows) - 1
    rows.append([label("牲畜耳标号"), para(facts["tags"], style["small"]), "", ""])
    lines = _immunization(facts["immunization"], certificate.quantity)
    rows.append([label("免疫情况"), [value(line) for line in lines], "", ""])
    remark = (
        f"替换已撤销的证明 {certificate.supersedes.number}"
        if certificate.supersedes is not None
        else ""
    )
    rows.append([label("备注"), value(remark), "", ""])
    issued = facts["issued"]
    rows.append(
        [
            label("官方兽医签字"),
            value(str(certificate.issued_by)),
            label("签发日期"),
            value(f"{issued.year}年{issued.month}月{issued.day}日"),
        ]
    )
    rows.append([label("签发机构"), value(facts["agency"]), "", ""])
    return form_grid(rows, sentence)


def _form(certificate: Certificate, copy: str, facts: dict[str, Any]) -> list[Any]:
    """Page 1, whole on one page whatever the names' length (shrunk rather than spilled)."""
    style = form_styles()
    leaving = certificate.kind == Certificate.Kind.A
    agency = facts["agency"]
    stamps: list[Any] = [
        stamp_box([agency or "动物卫生监督所", "（动物检疫专用章）"], style["small"], 34 * mm)
    ]
    if leaving:
        stamps.append(stamp_box(["动物卫生监督检查站签章"], style["small"], 34 * mm))
    footer = Table(
        [[qr_image(facts["qr"], 34 * mm), *stamps]],
        colWidths=[58 * mm, *([57 * mm] * len(stamps))],
    )
    footer.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    kind = "动物A" if leaving else "动物B"
    content: list[Any] = [
        para(f"动物检疫合格证明（{kind}）", style["title"]),
        para(f"编号：{certificate.number}　　{COPIES[copy]}", style["number"]),
        Spacer(1, 2 * mm),
    ]
    if certificate.status == Certificate.Status.REVOKED:
        content += [
            para(f"本证明已撤销：{certificate.revoked_reason}", style["revoked"]),
            Spacer(1, 2 * mm),
        ]
    notes = [*NOTES[certificate.kind]]
    if leaving:
        phone = certificate.issued_by.phone
        notes.append(f"动物卫生监督所联系电话：{phone or '＿＿＿＿＿＿'}")
    content += [
        _fields(certificate, facts, style),
        Spacer(1, 3 * mm),
        footer,
        para("扫码核验：二维码由省级签名，证明内容被改动即核验不通过。", style["small"]),
        Spacer(1, 2 * mm),
        para("注：", style["note"]),
        *[para(f"{n}. {line}", style["note"]) for n, line in enumerate(notes, 1)],
    ]
    return [KeepInFrame(WIDTH, 264 * mm, content, mode="shrink")]


def certificate_copies(asked: str | None = None) -> tuple[str, ...]:
    """Which copies a download holds: the one asked for (``stub`` or ``carried``), else as the
    province prints them (``EARMARK_CERTIFICATE_COPIES``: ``both`` in one PDF, or ``carried``,
    the copy that goes with the animals, each copy its own PDF)."""
    if asked in COPIES:
        return (asked,)
    return ("carried",) if settings.EARMARK_CERTIFICATE_COPIES == "separate" else tuple(COPIES)


@official
def certificate_pdf(certificate: Certificate, copies: tuple[str, ...] = ("carried",)) -> bytes:
    numbers = RangeSet.of(certificate.ranges.values_list("first", "last"))
    issued = timezone.localtime(certificate.issued_at)
    vet = certificate.issued_by
    entries = number_entries(numbers)
    facts: dict[str, Any] = {
        "names": region_names(
            codes=[certificate.township_code, certificate.destination_region_id or ""]
        ),
        "immunization": immunization_summary(
            numbers=numbers,
            species=certificate.species,
            county_code=certificate.county_code,
            on=issued.date(),
        ),
        "agency": vet.agency.name if vet.agency is not None else "",
        "issued": issued,
        "qr": qr_url(certificate),
        "tags": on_form(entries, numbers.count),
    }
    title = f"动物检疫合格证明（{'动物A' if certificate.kind == Certificate.Kind.A else '动物B'}）"
    story: list[Any] = []
    for copy in copies:
        if story:
            story.append(PageBreak())
        story += _form(certificate, copy, facts)
        story += annex_story(
            title=title,
            number=certificate.number,
            copy=COPIES[copy],
            qr_text=facts["qr"],
            entries=entries,
            stamp=f"{facts['agency'] or '动物卫生监督所'}（动物检疫专用章）",
        )
    on_page = (
        revoked_mark(certificate) if certificate.status == Certificate.Status.REVOKED else None
    )
    return a4_pdf(story, title=f"动物检疫合格证明 {certificate.number}", on_page=on_page)
