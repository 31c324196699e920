"""The county's inventory sheet 《库存耳标登记表》: template and reading it back."""

from __future__ import annotations

import io
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from earmark.core.errors import BusinessError
from earmark.core.species import Species
from earmark.eartags.registration import MAX_ROWS, RegistrationRow

COLUMNS = (
    ("species", gettext_lazy("Species"), 10),
    ("box", gettext_lazy("Box"), 12),
    ("pack", gettext_lazy("Pack"), 12),
    ("first", gettext_lazy("First number"), 20),
    ("last", gettext_lazy("Last number"), 20),
    ("quantity", gettext_lazy("Quantity"), 10),
)
REQUIRED = ("species", "first", "last", "quantity")


def _sheet_title() -> str:
    return _("Inventory")


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title()
    for column, (_key, label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=str(label))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F6F43")
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = width
        # Tag numbers have 15 digits: whole columns formatted as text, so Excel shows them whole.
        sheet.column_dimensions[letter].number_format = "@"
    species = ",".join(str(label) for _value, label in Species.choices)
    validation = DataValidation(type="list", formula1=f'"{species}"', allow_blank=False)
    validation.add(f"A2:A{MAX_ROWS + 1}")
    sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(_("Instructions"), 0)
    for row, text in enumerate(
        [
            _("Inventory of unused ear tags (库存耳标登记表)"),
            "",
            _("1. One row per box and pack, or per continuous range within a pack."),
            _(
                "2. Species: pig, cattle or sheep, as printed on the box; it must match the "
                "first digit of the numbers (1 pig, 2 cattle, 3 sheep, 7 breeding sow)."
            ),
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


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for key, label, _width in COLUMNS:
                keys[str(label)] = key
    return keys


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(handle: IO[bytes]) -> list[RegistrationRow]:
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:
        raise BusinessError(
            _("The file is not an Excel workbook (.xlsx)."), code="bad_file"
        ) from error
    sheet = next(
        (book[name] for name in book.sheetnames if name in {"库存耳标", "Inventory"}),
        book.worksheets[-1],
    )
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    known = _header_keys()
    positions = {known[_text(h)]: i for i, h in enumerate(header) if _text(h) in known}
    missing = [str(label) for key, label, _w in COLUMNS if key in REQUIRED and key not in positions]
    if missing:
        raise BusinessError(
            _("The sheet lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
            code="bad_file",
        )
    result: list[RegistrationRow] = []
    for line, values in enumerate(rows, start=2):
        cells = {k: _text(values[i]) if i < len(values) else "" for k, i in positions.items()}
        if not any(cells.values()):
            continue
        if len(result) >= MAX_ROWS:
            raise BusinessError(
                _("A workbook holds at most %(count)d rows.") % {"count": MAX_ROWS},
                code="too_many_rows",
            )
        result.append(RegistrationRow(line=line, **cells))
    if not result:
        raise BusinessError(_("The workbook has no rows to register."), code="empty")
    return result
