"""User text is data: never ReportLab markup in a PDF, never a formula in a workbook; and an
uploaded workbook is refused, before it is read, when it would unpack beyond the bounds."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.core.excel import MAX_UNPACKED_BYTES, Column, read_rows
from earmark.core.testing import client_for
from earmark.farms.models import Premises
from earmark.quarantine.models import Certificate

MARKUP = '<font size=26 color=red>红字</font><img src="/etc/hostname"/><b>未闭合'


def test_markup_in_a_name_prints_as_text_on_the_certificate(
    certify: Any, ready_farm: Premises, vet: User
) -> None:
    Premises.objects.filter(pk=ready_farm.pk).update(owner_name=MARKUP[:50])
    certificate: Certificate = certify()
    response = client_for(vet).get(f"/api/v1/certificates/{certificate.number}/pdf")
    assert response.status_code == 200
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    # Spaces where the cell wraps are not kept by the extraction: compare without them.
    text = "".join(page.extract_text().split())
    assert "<fontsize=26color=red>红字</font><img" in text
    # Only the QR code is an image: no file of the server was read into the document.
    assert len(page.images) == 1


def test_formulas_in_names_are_exported_as_text(county_officer: User, make_premises: Any) -> None:
    for name in ("=1+1", '=HYPERLINK("http://example.invalid","点击")', "@SUM(A1)", "+86-10"):
        make_premises(name=name, owner_name="-王五")
    response = client_for(county_officer).get("/api/v1/premises/xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    names = {c.value for c in cells if isinstance(c.value, str)}
    assert {"'=1+1", "'@SUM(A1)", "'+86-10", "'-王五"} <= names
    assert '\'=HYPERLINK("http://example.invalid","点击")' in names


def _columns() -> list[Column]:
    return [Column("name", "名称", 10, required=True)]


def _workbook_with_empty_rows(count: int) -> io.BytesIO:
    """A real workbook, then its sheet rewritten with ``count`` empty rows: a small file."""
    book = Workbook()
    book.active.title = "表"
    book.active.append(["名称"])
    base = io.BytesIO()
    book.save(base)
    source = zipfile.ZipFile(base)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.decode().partition("</row>")
                empty = "".join(f'<row r="{n}"><c r="A{n}"/></row>' for n in range(2, count + 2))
                # The declared size says one row: the rows are read all the same.
                data = (head + "</row>" + empty + tail).encode()
            target.writestr(info, data)
    out.seek(0)
    return out


def test_a_workbook_of_empty_rows_is_refused_at_the_bound() -> None:
    bomb = _workbook_with_empty_rows(300_000)
    assert bomb.getbuffer().nbytes < 2_000_000
    with pytest.raises(BusinessError) as refused:
        read_rows(bomb, sheet_title="表", columns=_columns(), max_rows=100)
    assert refused.value.code == "too_many_rows"


def test_a_workbook_that_unpacks_too_far_is_refused_before_it_is_read() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (MAX_UNPACKED_BYTES + 1))
    out.seek(0)
    with pytest.raises(BusinessError) as refused:
        read_rows(out, sheet_title="表", columns=_columns(), max_rows=100)
    assert refused.value.code == "file_too_large"
    with pytest.raises(BusinessError) as refused:
        read_rows(io.BytesIO(b"not a zip"), sheet_title="表", columns=_columns(), max_rows=1)
    assert refused.value.code == "not_a_workbook"
