"""What the province publishes: the statistics workbook, and the month a bulletin reports."""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook

from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.excel import Column, export_preamble, safe_row, write_header, write_preamble
from earmark.core.schemas import FIRST_YEAR, LAST_YEAR
from earmark.rollout.selectors.statistics import FIGURES, Statistics

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def statistics_workbook(stats: Statistics) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statistics")
    columns = [Column("code", _("Region code"), 12), Column("name", _("Region"), 14)] + [
        Column(key, label, 12) for key, label in FIGURES
    ]
    start = write_preamble(
        sheet,
        export_preamble(
            _("Statistics"),
            region=f"{stats.region.name}（{stats.region.code}）",
            period=_("%(since)s to %(until)s") % {"since": stats.since, "until": stats.until},
        ),
    )
    write_header(sheet, columns, row=start)
    for row in [*stats.rows, stats.total]:
        sheet.append(safe_row([row.code, row.name, *(row.figures[key] for key, _l in FIGURES)]))
    reasons = book.create_sheet(_("Rejections by reason"))
    write_header(reasons, [Column("reason", _("Reason"), 40), Column("n", _("Declarations"), 12)])
    for reason, count in stats.rejected_by_reason:
        reasons.append(safe_row([reason, count]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @property
    def label(self) -> str:
        return f"{self.since.year}年{self.since.month}月"


def period_parse(text: str) -> Period:
    """``2026-11``: a calendar month."""
    found = _PERIOD.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise BusinessError(_("A period is a month, written like 2026-11."), code=INVALID_INPUT)
    if not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        raise BusinessError(
            _("A date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code=INVALID_INPUT,
        )
    year, month = int(found.group(1)), int(found.group(2))
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
