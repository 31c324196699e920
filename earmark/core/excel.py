"""Workbooks people fill in: a styled header row, and reading the rows back by header text in
either language, all rows or a clear refusal."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from earmark.core.errors import (
    FILE_TOO_LARGE,
    MISSING_COLUMNS,
    NOT_A_WORKBOOK,
    ROWS_REFUSED,
    TOO_MANY_ROWS,
    BusinessError,
    item,
)

HEADER_FILL = PatternFill("solid", fgColor="1F6F43")
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation, rendered in the language of the moment
    width: int
    required: bool = False
    # Long digit strings (ID-card numbers, phones): the column is text, so a spreadsheet keeps
    # every digit instead of turning 18 of them into 2.2E+17.
    text: bool = False
    # Other headers read as this column (those of older templates).
    aliases: tuple[str, ...] = ()


def write_header(
    sheet: Any, columns: Iterable[Column], *, text_columns: bool = False, row: int = 1
) -> None:
    """The header row at ``row``, frozen; ``text_columns`` formats every column as text (tag
    numbers), else only the columns marked ``text``."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=safe_cell(str(column.label)))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if text_columns or column.text:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = f"A{row + 1}"


def export_preamble(title: str, *, region: str, period: str) -> list[list[str]]:
    """The first rows of every export: what it is, the region and period it covers and when
    it was exported, then an empty row before the table."""
    moment = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return [
        [title],
        [_("Region"), region],
        [_("Period"), period],
        [_("Exported at"), moment],
        [],
    ]


def write_preamble(sheet: Any, rows: list[list[str]]) -> int:
    """``rows`` at the top of a sheet, its title bold; answers the row the table starts at."""
    for values in rows:
        sheet.append(safe_row(values))
    if rows and rows[0]:
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    return len(rows) + 1


# A cell whose text starts with one of these is read as a formula by spreadsheet programs
# (OWASP: CSV and formula injection); such text is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """User text as text: never a formula, never a character a workbook cannot hold."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def in_every_language(text: Any) -> set[str]:
    """A translated string as it reads in each language of the system."""
    result = set()
    for language in LANGUAGES:
        with translation.override(language):
            result.add(str(text))
    return result


# An uploaded workbook is refused beyond these bounds, before it is read: a small file can unpack
# to gigabytes or to a million empty rows.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Empty rows are read too; this many beyond the allowed rows ends the reading.
EMPTY_ROWS_ALLOWED = 1_000


def open_workbook(handle: IO[bytes]) -> Any:
    """The workbook in ``handle`` opened for reading, or a refusal if it is not a workbook or
    would unpack beyond the bounds."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    if size > MAX_FILE_BYTES:
        raise BusinessError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // 1024 // 1024},
            code=FILE_TOO_LARGE,
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise BusinessError(
            _("The file is not an Excel workbook (.xlsx)."), code=NOT_A_WORKBOOK
        ) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise BusinessError(
            _("The workbook unpacks to more than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_UNPACKED_BYTES // 1024 // 1024},
            code=FILE_TOO_LARGE,
        )
    handle.seek(0)
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:
        raise BusinessError(
            _("The file is not an Excel workbook (.xlsx)."), code=NOT_A_WORKBOOK
        ) from error


def sheet_rows(sheet: Any, max_rows: int) -> Iterator[tuple[Any, ...]]:
    """Every row of ``sheet`` as values, empty ones included, whatever its declared size says
    (a wrong size would drop rows or pad a million empty ones), within the bound."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    return bounded_rows(sheet.iter_rows(values_only=True), max_rows)


def bounded_rows(rows: Iterable[Any], max_rows: int) -> Iterator[Any]:
    """``rows``, empty ones included, refusing once there are more than a sheet of
    ``max_rows`` rows can hold."""
    for read, row in enumerate(rows, start=1):
        if read > max_rows + EMPTY_ROWS_ALLOWED:
            raise BusinessError(
                _("A workbook holds at most %(count)d rows.") % {"count": max_rows},
                code=TOO_MANY_ROWS,
            )
        yield row


def read_rows(
    handle: IO[bytes], *, sheet_title: Any, columns: Iterable[Column], max_rows: int
) -> list[tuple[int, dict[str, str]]]:
    """(line, {column key: text}) for every non-empty row of the sheet; refuses a file that is
    not a workbook, lacks a required column, or is longer than ``max_rows``."""
    columns = list(columns)
    book = open_workbook(handle)
    titles = in_every_language(sheet_title)
    sheet = next((book[n] for n in book.sheetnames if n in titles), book.worksheets[-1])
    rows = sheet_rows(sheet, max_rows)
    header = next(rows, None) or ()
    known = {
        label: column.key
        for column in columns
        for label in (*in_every_language(column.label), *column.aliases)
    }
    positions = {known[cell_text(h)]: i for i, h in enumerate(header) if cell_text(h) in known}
    missing = [str(c.label) for c in columns if c.required and c.key not in positions]
    if missing:
        raise BusinessError(
            _("The sheet lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
            code=MISSING_COLUMNS,
        )
    result: list[tuple[int, dict[str, str]]] = []
    rounded: list[dict[str, Any]] = []
    labels = {c.key: str(c.label) for c in columns}
    for line, values in enumerate(rows, start=2):
        cells = {k: cell_text(values[i]) if i < len(values) else "" for k, i in positions.items()}
        if not any(cells.values()):
            continue
        rounded.extend(
            item(line, _rounded_message(labels[key]), field=key)
            for key, i in positions.items()
            if i < len(values) and _rounded(values[i])
        )
        if len(result) >= max_rows:
            raise BusinessError(
                _("A workbook holds at most %(count)d rows.") % {"count": max_rows},
                code=TOO_MANY_ROWS,
            )
        result.append((line, cells))
    if rounded:
        raise BusinessError(
            _("%(count)d rows have problems; nothing was imported.")
            % {"count": len({entry["ref"] for entry in rounded})},
            code=ROWS_REFUSED,
            items=rounded,
        )
    return result


# A spreadsheet keeps 15 significant digits of a number: one of 16 digits or more (an ID-card
# number typed into a cell that is not text) has lost its last digits before it reaches us.
_EXACT_DIGITS = 10**15


def _rounded(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and abs(value) >= _EXACT_DIGITS
    )


def _rounded_message(column: str) -> str:
    return _(
        "%(column)s was stored as a number (shown like 2.2E+17), so the spreadsheet dropped its "
        "last digits. Format the column as text and type the value again."
    ) % {"column": column}
