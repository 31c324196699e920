"""The premises workbook: a template with drop-down lists, all-or-nothing import, export."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from earmark.core.errors import EMPTY_FILE, BusinessError
from earmark.core.excel import (
    MAX_SHEET_ROWS,
    Column,
    export_preamble,
    in_every_language,
    read_rows,
    safe_row,
    write_header,
)
from earmark.core.species import Kind, species_codes, species_label, species_table
from earmark.farms.models import Premises
from earmark.farms.services.registration import PremisesData
from earmark.regions.models import Region

# As many farms as a workbook may hold rows: a county registers its farms in one file.
MAX_ROWS = MAX_SHEET_ROWS


COLUMNS = (
    Column("kind", gettext_lazy("Kind"), 12, True),
    Column("name", gettext_lazy("Name"), 28, True),
    Column("owner_name", gettext_lazy("Owner or legal person"), 14),
    Column("phone", gettext_lazy("Mobile phone"), 14, text=True),
    Column("id_card", gettext_lazy("ID-card number"), 22, text=True),
    Column("township", gettext_lazy("Township"), 22, True),
    Column("address", gettext_lazy("Village or street address"), 28),
    # then one column per species of the table: see ``columns()``
    Column("scale", gettext_lazy("Designed capacity (head)"), 12),
    Column("longitude", gettext_lazy("Longitude"), 12),
    Column("latitude", gettext_lazy("Latitude"), 12),
)
SHEET_TITLE = gettext_lazy("Premises")
STOCK_AFTER = "address"


class _OnHand:
    """A stock column's header, rendered in the language of the moment: 猪存栏, Pig on hand."""

    def __init__(self, species: str) -> None:
        self.species = species

    def __str__(self) -> str:
        return _("%(species)s on hand") % {"species": species_label(self.species)}


def _older_headers(kind: Kind) -> tuple[str, ...]:
    """Headers of templates before species were data (生猪存栏), and others' words for it."""
    return tuple(f"{alias}存栏" for alias in kind.aliases if not alias.isascii())


def columns() -> list[Column]:
    """The sheet's columns, with the animals on hand of every species the province follows."""
    at = next(i for i, c in enumerate(COLUMNS) if c.key == STOCK_AFTER) + 1
    stock = [
        Column(f"stock.{kind.code}", _OnHand(kind.code), 10, aliases=_older_headers(kind))
        for kind in species_table().kinds.values()
    ]
    return [*COLUMNS[:at], *stock, *COLUMNS[at:]]


def _township_label(region: Region) -> str:
    return f"{region.name} {region.code}"


def template_workbook(*, townships: Iterable[Region]) -> bytes:
    """A workbook to fill in: the premises sheet with drop-downs, instructions, and lists."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(SHEET_TITLE)
    write_header(sheet, columns())
    lists = book.create_sheet(_("Lists"))
    kinds = [str(label) for _value, label in Premises.Kind.choices]
    for row, label in enumerate(kinds, start=1):
        lists.cell(row=row, column=1, value=label)
    township_labels = [_township_label(t) for t in townships]
    for row, label in enumerate(township_labels, start=1):
        lists.cell(row=row, column=2, value=label)
    lists.sheet_state = "hidden"
    kind_list = DataValidation(
        type="list", formula1=f"'{lists.title}'!$A$1:$A${len(kinds)}", allow_blank=False
    )
    township_list = DataValidation(
        type="list",
        formula1=f"'{lists.title}'!$B$1:$B${max(1, len(township_labels))}",
        allow_blank=False,
    )
    for validation, key in ((kind_list, "kind"), (township_list, "township")):
        letter = get_column_letter(_index(key) + 1)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    instructions = book.create_sheet(_("Instructions"), 0)
    for row, text in enumerate(_instructions(), start=1):
        instructions.cell(row=row, column=1, value=text)
    instructions.column_dimensions["A"].width = 100
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _instructions() -> list[str]:
    return [
        _("How to fill in the premises workbook"),
        "",
        _("1. Fill one premises per row on the sheet “%(sheet)s”; keep the header row.")
        % {"sheet": _("Premises")},
        _("2. Kind and township: choose from the drop-down lists."),
        _(
            "3. Name, kind and township are required. Without owner, mobile phone, address and "
            "stock the premises is saved as incomplete and cannot declare until completed."
        ),
        _("4. Mobile phone: 11 digits. ID-card number: 18 characters (optional)."),
        _("5. Stock: whole numbers of head, for the species kept; leave empty for the others."),
        _("6. The whole file is refused if any row is wrong; the report names every faulty row."),
    ]


def _index(key: str) -> int:
    return next(i for i, spec in enumerate(columns()) if spec.key == key)


def _kind_values() -> dict[str, str]:
    values = {value: value for value in Premises.Kind.values}
    for value, label in Premises.Kind.choices:
        values.update(dict.fromkeys(in_every_language(label), value))
    return values


@dataclass
class ParsedRow:
    line: int
    data: PremisesData


def read_workbook(handle: IO[bytes]) -> list[ParsedRow]:
    """Rows of a filled-in template; a file that is not such a workbook is refused."""
    kinds = _kind_values()
    parsed: list[ParsedRow] = []
    for line, cells in read_rows(
        handle, sheet_title=SHEET_TITLE, columns=columns(), max_rows=MAX_ROWS
    ):
        stock = {
            species: cells.get(f"stock.{species}", "")
            for species in species_codes()
            if cells.get(f"stock.{species}", "") != ""
        }
        parsed.append(
            ParsedRow(
                line=line,
                data=PremisesData(
                    kind=kinds.get(cells.get("kind", ""), cells.get("kind", "")),
                    name=cells.get("name", ""),
                    township=_township_code(cells.get("township", "")),
                    owner_name=cells.get("owner_name", ""),
                    phone=cells.get("phone", ""),
                    id_card=cells.get("id_card", ""),
                    address=cells.get("address", ""),
                    scale=cells.get("scale") or None,
                    latitude=cells.get("latitude") or None,
                    longitude=cells.get("longitude") or None,
                    stock=stock,
                ),
            )
        )
    if not parsed:
        raise BusinessError(_("The workbook has no premises rows."), code=EMPTY_FILE)
    return parsed


def _township_code(cell: str) -> str:
    """A township cell holds "其塔木镇 220113102" from the list, or just the code or name."""
    match = re.search(r"\d{9}", cell)
    if match:
        return match.group(0)
    return cell


def export_workbook(premises: QuerySet[Premises], *, region: str) -> bytes:
    """The premises of a filtered list of ``region``, with code, status and masked ID-card
    numbers, under the lines that say what, where and when."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Premises"))
    for values in export_preamble(
        _("Premises register"),
        region=region,
        period=_("as registered at the time of export"),
    ):
        sheet.append(safe_row(values))
    species = species_codes()
    headers = [_("Code"), _("Status"), *(str(spec.label) for spec in columns())]
    sheet.append(headers)
    # Read in chunks (with each chunk's stock), however long the list.
    for item in premises.iterator(chunk_size=2000):
        stock = {row.species: row.quantity for row in item.stock.all()}
        sheet.append(
            safe_row(
                [
                    item.code,
                    item.get_status_display(),
                    item.get_kind_display(),
                    item.name,
                    item.owner_name,
                    item.phone,
                    item.id_card_masked,
                    _township_label(item.township),
                    item.address,
                    *(stock.get(code) for code in species),
                    item.scale,
                    float(item.longitude) if item.longitude is not None else None,
                    float(item.latitude) if item.latitude is not None else None,
                ]
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
