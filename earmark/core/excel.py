"""Workbooks people fill in: a styled header row, and reading the rows back by header text in
either language, all rows or a clear refusal."""

from __future__ import annotations

import io
import re
import weakref
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
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
    ErrorCode,
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


def sheet_moment(moment: datetime | None) -> datetime | None:
    """A moment as a workbook keeps it: a real date-and-time cell in local time (a workbook
    has no time zone), to the minute, so that Excel and WPS sort and filter it as a date."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


def export_preamble(title: str, *, region: str, period: str) -> list[list[Any]]:
    """The first rows of every export: what it is, the region and period it covers and when
    it was exported (a date-and-time cell), then an empty row before the table."""
    moment = sheet_moment(timezone.now())
    return [
        [title],
        [_("Region"), region],
        [_("Period"), period],
        [_("Exported at"), moment],
        [],
    ]


def write_preamble(sheet: Any, rows: list[list[Any]]) -> int:
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


# An uploaded workbook is refused beyond these bounds, before anything is built from it: a small
# file can unpack to gigabytes, to millions of cells or to a million empty rows. The sheets are
# measured as they stream out of the archive (their declared dimension is not believed); rows
# after the last one holding a cell are not counted, nor read.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 150 * 1024 * 1024
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 40
MAX_SHEET_CELLS = 2_000_000
# Empty rows between the data are read too; this many beyond the allowed rows ends the reading.
EMPTY_ROWS_ALLOWED = 1_000
_CHUNK = 1 << 20
_WORKSHEET = re.compile(rb"<(\w+:)?worksheet\b")
_STRINGS = re.compile(rb"<(\w+:)?sst\b")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def _too_large(code: ErrorCode = FILE_TOO_LARGE) -> BusinessError:
    return BusinessError(
        _(
            "The workbook is too large to import. A workbook may hold at most %(rows)s rows, "
            "%(columns)d columns and %(cells)s cells, and unpack to at most %(mb)d MB; split it "
            "into smaller files."
        )
        % {
            "rows": f"{MAX_SHEET_ROWS:,}",
            "columns": MAX_SHEET_COLUMNS,
            "cells": f"{MAX_SHEET_CELLS:,}",
            "mb": MAX_UNPACKED_BYTES // 1024 // 1024,
        },
        code=code,
    )


def _parts(stream: IO[bytes]) -> Iterator[bytes]:
    """The XML of ``stream`` in pieces that each end before a tag begins, so that no tag is cut
    in two; at most about a megabyte in memory at once."""
    carry = b""
    while chunk := stream.read(_CHUNK):
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut <= 0 or len(data) - cut > _CHUNK:
            carry, cut = b"", len(data)
        else:
            carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


def _last_data_row(stream: IO[bytes], cells_before: int) -> tuple[int, int]:
    """(the number of the last row holding a cell, the cells counted so far) of one sheet's
    XML, refusing as soon as a bound is passed."""
    cells, last, prefix = cells_before, 0, None
    for part in _parts(stream):
        if prefix is None:
            found = _WORKSHEET.search(part)
            prefix = (found.group(1) or b"") if found else b""
            tags = [b"<" + prefix + b"c" + end for end in (b" ", b">", b"/")]
            row = re.compile(b"<" + re.escape(prefix) + rb"row\b([^>]*)>")
        cells += sum(part.count(tag) for tag in tags)
        if cells > MAX_SHEET_CELLS:
            raise _too_large()
        for found in row.finditer(part):
            attributes = found.group(1)
            if attributes.endswith(b"/"):
                continue  # an empty row: nothing to count
            number = _ROW_NUMBER.search(attributes)
            last = int(number.group(1)) if number else last + 1
            if last > MAX_SHEET_ROWS + 1:  # the header row, then the rows
                raise _too_large(TOO_MANY_ROWS)
    return last, cells


def _measured(archive: zipfile.ZipFile) -> dict[str, int]:
    """The last row holding a cell of each worksheet (by its path in the archive); refuses a
    workbook beyond the bounds. Shared strings beyond the cells that could use them are refused
    too: they are all read when the workbook opens."""
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise _too_large()
    last_rows: dict[str, int] = {}
    cells = 0
    for info in archive.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            with archive.open(info) as stream:
                last_rows[info.filename], cells = _last_data_row(stream, cells)
    if "xl/sharedStrings.xml" in archive.namelist():
        strings, tags = 0, None
        with archive.open("xl/sharedStrings.xml") as stream:
            for part in _parts(stream):
                if tags is None:
                    found = _STRINGS.search(part)
                    prefix = (found.group(1) or b"") if found else b""
                    tags = [b"<" + prefix + b"si" + end for end in (b" ", b">")]
                strings += sum(part.count(tag) for tag in tags)
                if strings > cells + EMPTY_ROWS_ALLOWED:
                    raise _too_large()
    return last_rows


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
            last_rows = _measured(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise BusinessError(
            _("The file is not an Excel workbook (.xlsx)."), code=NOT_A_WORKBOOK
        ) from error
    handle.seek(0)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:
        raise BusinessError(
            _("The file is not an Excel workbook (.xlsx)."), code=NOT_A_WORKBOOK
        ) from error
    _LAST_ROWS[book] = last_rows
    return book


# The measure of each workbook opened, kept as long as the workbook is.
_LAST_ROWS: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()


def sheet_rows(sheet: Any, max_rows: int) -> Iterator[tuple[Any, ...]]:
    """Every row of ``sheet`` as values, empty ones included, up to the last row holding a cell
    (its declared size is not believed: a wrong one would drop rows or pad a million empty
    ones), within the bounds."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    path = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
    last = _LAST_ROWS.get(sheet.parent, {}).get(path)
    if last == 0:
        return iter(())
    return _narrow(bounded_rows(sheet.iter_rows(values_only=True, max_row=last), max_rows))


def _narrow(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """``rows``, refusing one with a value beyond the last column a sheet may use."""
    for row in rows:
        if len(row) > MAX_SHEET_COLUMNS and any(v is not None for v in row[MAX_SHEET_COLUMNS:]):
            raise _too_large()
        yield row


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
