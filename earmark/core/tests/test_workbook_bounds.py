"""An uploaded workbook is measured as it streams out of its archive and refused at the first
bound it passes, before anything is built from it (#34): a file of a few hundred kilobytes can
unpack to millions of cells, a million empty rows or millions of shared strings. What lies after
the last row holding a cell is neither counted nor read."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import pytest

from earmark.core.errors import BusinessError
from earmark.core.excel import (
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    Column,
    read_rows,
)
from earmark.core.testing import data_rows, workbook_with_rows

COLUMNS = [Column("name", "名称", 10, required=True), Column("note", "备注", 10)]


def _refused(workbook: io.BytesIO) -> tuple[BusinessError, int]:
    """The refusal, and the peak memory (bytes) it took to reach it."""
    tracemalloc.start()
    try:
        with pytest.raises(BusinessError) as refused:
            read_rows(workbook, sheet_title="表", columns=COLUMNS, max_rows=MAX_SHEET_ROWS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return refused.value, peak


def test_three_million_cells_in_a_small_file_are_refused_in_little_memory() -> None:
    bomb = workbook_with_rows(data_rows(2, 100_000, cells=30))
    assert bomb.getbuffer().nbytes < 1_000_000
    refusal, peak = _refused(bomb)
    assert refusal.code == "file_too_large"
    assert f"{MAX_SHEET_CELLS:,}" in refusal.message and "40" in refusal.message
    assert peak < 100 * 1024 * 1024


def test_a_million_rows_holding_cells_are_refused_at_the_row_bound() -> None:
    refusal, peak = _refused(workbook_with_rows(data_rows(2, 1_000_000, cells=1)))
    assert refusal.code == "too_many_rows"
    assert f"{MAX_SHEET_ROWS:,}" in refusal.message
    assert peak < 100 * 1024 * 1024


def test_shared_strings_beyond_the_cells_that_could_use_them_are_refused() -> None:
    strings = (f"<si><t>{n}</t></si>".encode() for n in range(200_000))
    refusal, _peak = _refused(workbook_with_rows(data_rows(2, 10), strings=strings))
    assert refusal.code == "file_too_large"


def test_a_value_beyond_the_last_column_is_refused() -> None:
    beyond = _letter(MAX_SHEET_COLUMNS + 1)
    wide = f'<row r="2"><c r="A2"><v>1</v></c><c r="{beyond}2"><v>1</v></c></row>'
    refusal, _peak = _refused(workbook_with_rows(iter([wide.encode()])))
    assert refusal.code == "file_too_large"


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def test_empty_rows_after_the_data_are_neither_counted_nor_read() -> None:
    def rows() -> Iterator[bytes]:
        yield from data_rows(2, 3)
        # A million empty rows (a sheet formatted to its end), then rows of empty cells' ends.
        for n in range(5, 1_000_005):
            yield f'<row r="{n}"/>'.encode()

    workbook = workbook_with_rows(rows())
    read = read_rows(workbook, sheet_title="表", columns=COLUMNS, max_rows=10)
    assert [line for line, _cells in read] == [2, 3, 4]
    assert [cells["name"] for _line, cells in read] == ["1", "1", "1"]
