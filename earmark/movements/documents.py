"""The record of a destruction of tags (耳标销毁记录, art. 22), as the county files it: its
number, the day, place and method, the tags by reason with their numbers as ranges, the two
witnesses' and the officer's signature lines and the county's stamp box. Chinese whatever the
reader's language; every page numbered 第 N 页 共 M 页."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from earmark.core.fonts import SANS, SANS_BOLD
from earmark.core.pdf import a4_pdf, official, para
from earmark.eartags.codes import format_range
from earmark.movements.models import DestructionBatch
from earmark.movements.services.destruction import witness_names

WIDTH = 172 * mm
GRID = colors.HexColor("#333333")
COLUMNS = 3


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", wordWrap="CJK", fontName=SANS_BOLD, fontSize=18, leading=24, alignment=1
        ),
        "number": ParagraphStyle(
            "number", wordWrap="CJK", fontName=SANS, fontSize=10, leading=14, alignment=2
        ),
        "label": ParagraphStyle(
            "label", wordWrap="CJK", fontName=SANS_BOLD, fontSize=10, leading=13
        ),
        "cell": ParagraphStyle("cell", wordWrap="CJK", fontName=SANS, fontSize=10, leading=14),
        "tag": ParagraphStyle("tag", wordWrap="CJK", fontName=SANS, fontSize=8, leading=10),
    }


def _grid(rows: list[list[Any]], widths: list[float], **style: Any) -> Table:
    table = Table(
        rows,
        colWidths=widths,
        rowHeights=style.pop("heights", None),
        repeatRows=style.pop("repeat", 0),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *style.pop("extra", []),
            ]
        )
    )
    return table


def _numbers(batch: DestructionBatch, style: dict[str, ParagraphStyle]) -> list[Any]:
    """Every number destroyed, by reason, three runs a row; the table runs on over pages with
    its heading repeated."""
    entries = [("回收", format_range(a, b)) for a, b in batch.recovered]
    entries += [("作废", format_range(a, b)) for a, b in batch.voided]
    if not entries:
        return []
    cells = [para(f"{reason} {text}", style["tag"]) for reason, text in entries]
    rows = [cells[i : i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
    rows[-1] += [""] * (COLUMNS - len(rows[-1]))
    heading = [para("销毁耳标号码（回收 / 作废）", style["label"]), "", ""]
    return [
        Spacer(1, 4 * mm),
        _grid(
            [heading, *rows],
            [WIDTH / COLUMNS] * COLUMNS,
            repeat=1,
            extra=[("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee")],
        ),
    ]


@official
def destruction_pdf(batch: DestructionBatch) -> bytes:
    style = _styles()

    def label(text: str) -> Any:
        return para(text, style["label"])

    def value(text: object) -> Any:
        return para(text, style["cell"])

    recovered = sum(b - a + 1 for a, b in batch.recovered)
    voided = batch.count - recovered
    facts = _grid(
        [
            [
                label("县级机构"),
                value(batch.county.name),
                label("销毁日期"),
                value(batch.destroyed_on),
            ],
            [label("销毁地点"), value(batch.place or "＿＿＿＿＿＿"), "", ""],
            [label("销毁方法"), value(batch.method), "", ""],
            [
                label("回收耳标"),
                value(f"{recovered} 枚"),
                label("作废未用耳标"),
                value(f"{voided} 枚"),
            ],
            [label("合计"), value(f"{batch.count} 枚"), "", ""],
        ],
        [28 * mm, 58 * mm, 30 * mm, 56 * mm],
        extra=[("SPAN", (1, row), (3, row)) for row in (1, 2, 4)],
    )
    names = witness_names(batch.witnesses)
    signatures = _grid(
        [
            *[
                [label(f"监销人{n}"), value(name), label("签字"), ""]
                for n, name in enumerate(names, 1)
            ],
            [label("经办人"), value(str(batch.created_by)), label("签字"), ""],
        ],
        [28 * mm, 58 * mm, 20 * mm, 66 * mm],
        heights=[12 * mm] * (len(names) + 1),
    )
    stamp = Table(
        [[para(f"{batch.county.name}动物卫生监督机构（印章）", style["tag"])]],
        colWidths=[60 * mm],
        rowHeights=[34 * mm],
        hAlign="RIGHT",
    )
    stamp.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID, None, (3, 2)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story: list[Any] = [
        para("畜禽标识（耳标）销毁记录", style["title"]),
        para(f"编号：{batch.number}", style["number"]),
        Spacer(1, 3 * mm),
        facts,
        *_numbers(batch, style),
        Spacer(1, 6 * mm),
        signatures,
        Spacer(1, 6 * mm),
        stamp,
    ]
    return a4_pdf(story, title=f"耳标销毁记录 {batch.number}", numbered=True)
