"""The numbers a certificate's form has no room for: numbered annex pages (附页 k/N), each with
the certificate's 编号, its copy and its QR code, the numbers printed as ranges where they run
and one by one where they do not. The national forms allow the numbers on an attached sheet that
names the certificate's number and carries the stamp (注 3)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Table, TableStyle

from earmark.core.fonts import SANS, SANS_BOLD
from earmark.core.pdf import para, qr_image
from earmark.eartags.codes import format_range
from earmark.eartags.ranges import RangeSet

# What the form itself shows before it sends the reader to the annex.
ON_FORM = 6
COLUMNS = 3
ROWS = 50
PER_PAGE = COLUMNS * ROWS
# The printable frame of an A4 page inside the documents' margins (16 mm, 14 mm) and the
# frame's own padding.
PAGE_WIDTH = 172 * mm
PAGE_HEIGHT = 264 * mm


def number_entries(numbers: RangeSet) -> list[str]:
    """One entry a run: 122011300000001–122011300000200, or a single number."""
    return [format_range(first, last) for first, last in numbers]


def annex_count(entries: list[str]) -> int:
    """How many annex pages the numbers need (none when the form holds them)."""
    if len(entries) <= ON_FORM:
        return 0
    return -(-len(entries) // PER_PAGE)


def on_form(entries: list[str], count: int) -> str:
    """The 牲畜耳标号 field of the form: the numbers, or where to find them."""
    pages = annex_count(entries)
    if not pages:
        return "、".join(entries)
    return f"共 {count} 枚，{len(entries)} 段，号码见附页（共 {pages} 页）"


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "annex", wordWrap="CJK", fontName=SANS_BOLD, fontSize=13, leading=18
        ),
        "line": ParagraphStyle(
            "annex-line", wordWrap="CJK", fontName=SANS, fontSize=10, leading=14
        ),
        "tag": ParagraphStyle("annex-tag", wordWrap="CJK", fontName=SANS, fontSize=8, leading=10),
        "stamp": ParagraphStyle(
            "annex-stamp", wordWrap="CJK", fontName=SANS, fontSize=9, leading=12, alignment=2
        ),
    }


def _grid(chunk: list[str], style: ParagraphStyle) -> Table:
    rows = [
        [para(entry, style) for entry in chunk[start : start + COLUMNS]]
        for start in range(0, len(chunk), COLUMNS)
    ]
    rows[-1] += [""] * (COLUMNS - len(rows[-1]))
    grid = Table(rows, colWidths=[PAGE_WIDTH / COLUMNS] * COLUMNS)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return grid


def annex_story(
    *, title: str, number: str, copy: str, qr_text: str, entries: list[str], stamp: str
) -> list[Any]:
    """The annex pages, each one page whatever it holds (shrunk rather than spilled)."""
    pages = annex_count(entries)
    style = _styles()
    story: list[Any] = []
    for page in range(pages):
        chunk = entries[page * PER_PAGE : (page + 1) * PER_PAGE]
        header = Table(
            [
                [
                    [
                        para(f"{title} 附页 {page + 1}/{pages}", style["title"]),
                        para(f"编号：{number}", style["line"]),
                        para(copy, style["line"]),
                        para(
                            f"牲畜耳标号（第 {page * PER_PAGE + 1}–"
                            f"{page * PER_PAGE + len(chunk)} 段，共 {len(entries)} 段）",
                            style["line"],
                        ),
                    ],
                    qr_image(qr_text, 28 * mm),
                ]
            ],
            colWidths=[PAGE_WIDTH - 34 * mm, 34 * mm],
        )
        header.setStyle(
            TableStyle([("FONT", (0, 0), (-1, -1), SANS), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        content = [header, _grid(chunk, style["tag"]), para(stamp, style["stamp"])]
        story += [
            PageBreak(),
            KeepInFrame(PAGE_WIDTH, PAGE_HEIGHT, content, mode="shrink"),
        ]
    return story
