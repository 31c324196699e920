"""The county's inventory sheet 《库存耳标登记表》: template and reading it back."""

from __future__ import annotations

import io
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from earmark.core.errors import EMPTY_FILE, BusinessError
from earmark.core.excel import Column, read_rows, write_header
from earmark.core.species import species_choices, species_digit_note
from earmark.eartags.services.registration import MAX_ROWS, RegistrationRow

COLUMNS = (
    Column("species", gettext_lazy("Species"), 10, required=True),
    Column("box", gettext_lazy("Box"), 12),
    Column("pack", gettext_lazy("Pack"), 12),
    Column("first", gettext_lazy("First number"), 20, required=True),
    Column("last", gettext_lazy("Last number"), 20, required=True),
    Column("quantity", gettext_lazy("Quantity"), 10, required=True),
)
SHEET_TITLE = gettext_lazy("Inventory")


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(SHEET_TITLE)
    # Tag numbers have 15 digits: whole columns formatted as text, so Excel shows them whole.
    write_header(sheet, COLUMNS, text_columns=True)
    species = ",".join(str(label) for _value, label in species_choices())
    validation = DataValidation(type="list", formula1=f'"{species}"', allow_blank=False)
    validation.add(f"A2:A{MAX_ROWS + 1}")
    sheet.add_data_validation(validation)
    notes = book.create_sheet(_("Instructions"), 0)
    for row, text in enumerate(
        [
            _("Inventory of unused ear tags (库存耳标登记表)"),
            "",
            _("1. One row per box and pack, or per continuous range within a pack."),
            _(
                "2. Species: %(names)s, as printed on the box; it must match the first digit "
                "of the numbers (%(digits)s)."
            )
            % {
                "names": "、".join(label for _code, label in species_choices()),
                "digits": species_digit_note(),
            },
            _("3. First and last number: the full 15 digits (species, county, serial)."),
            _("4. The county digits are your county's code or one of its former codes."),
            _("5. Quantity = last − first + 1."),
            _("6. No number may appear twice, nor be registered already anywhere."),
            _("7. The whole sheet is refused if any row is wrong; every faulty row is listed."),
        ],
        start=1,
    ):
        notes.cell(row=row, column=1, value=text)
    notes.column_dimensions["A"].width = 100
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_workbook(handle: IO[bytes]) -> list[RegistrationRow]:
    rows = read_rows(handle, sheet_title=SHEET_TITLE, columns=COLUMNS, max_rows=MAX_ROWS)
    if not rows:
        raise BusinessError(_("The workbook has no rows to register."), code=EMPTY_FILE)
    return [RegistrationRow(line=line, **cells) for line, cells in rows]
