"""Importing immunization records of the 2002 system, whose tags carry 8 digits (a postal code
and the vaccinator's number) and, in some regions, an add-on code for the basic prevention unit
(art. 7); they are kept and found again by that code, with or without the add-on."""

from __future__ import annotations

from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earmark.accounts.access import can_read_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import EMPTY_FILE, ROWS_REFUSED, BusinessError, item
from earmark.core.excel import Column, read_rows
from earmark.core.species import species_from_text, species_refusal
from earmark.eartags.codes import ADDON_LENGTH, CodeError, parse_legacy
from earmark.farms.models import Premises
from earmark.immunization.models import LegacyImmunization

COLUMNS = (
    Column("code", gettext_lazy("8-digit tag"), 12, required=True, text=True),
    Column("addon", gettext_lazy("Add-on code"), 14, text=True),
    Column("premises", gettext_lazy("Premises code"), 14),
    Column("species", gettext_lazy("Species"), 8, required=True),
    Column("date", gettext_lazy("Vaccinated on"), 12, required=True),
    Column("vaccine", gettext_lazy("Vaccine"), 24, required=True),
    Column("batch", gettext_lazy("Batch number"), 14),
)
SHEET_TITLE = gettext_lazy("Legacy records")
MAX_ROWS = 50_000


def _date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def legacy_import(*, actor: User, handle: IO[bytes]) -> int:
    """All rows or none; each faulty row is named."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "") or ""
    rows = read_rows(handle, sheet_title=SHEET_TITLE, columns=COLUMNS, max_rows=MAX_ROWS)
    if not rows:
        raise BusinessError(_("The workbook has no rows to import."), code=EMPTY_FILE)
    premises = {
        p.code: p
        for p in Premises.objects.filter(code__in={cells.get("premises", "") for _l, cells in rows})
    }
    problems: list[dict[str, Any]] = []
    records: list[LegacyImmunization] = []
    for line, cells in rows:
        row_problems = {}
        try:
            legacy = parse_legacy(cells.get("code", ""))
        except CodeError:
            row_problems["code"] = _("The old tag number has 8 digits.")
        addon = cells.get("addon", "").strip()
        if addon and not (addon.isdigit() and addon.isascii() and len(addon) <= ADDON_LENGTH):
            row_problems["addon"] = _("The add-on code has 1 to 12 digits.")
        elif addon and "code" not in row_problems and legacy.addon not in ("", addon):
            row_problems["addon"] = _("The add-on code differs from the one after the tag number.")
        species = species_from_text(cells.get("species", ""))
        if species is None:
            row_problems["species"] = species_refusal()
        vaccinated_on = _date(cells.get("date", ""))
        if vaccinated_on is None or vaccinated_on > timezone.localdate():
            row_problems["date"] = _("Enter the date as 2008-05-31.")
        place = premises.get(cells.get("premises", ""))
        if cells.get("premises") and (
            place is None or not can_read_region(actor, place.township_id)
        ):
            row_problems["premises"] = _("No premises %(code)s in your county.") % {
                "code": cells.get("premises")
            }
        if not cells.get("vaccine"):
            row_problems["vaccine"] = _("Name the vaccine.")
        if row_problems:
            problems.extend(
                {"line": line, "field": f, "message": m} for f, m in row_problems.items()
            )
            continue
        records.append(
            LegacyImmunization(
                code=legacy.text,
                addon=legacy.addon or addon,
                postal_code=legacy.postal_code,
                vaccinator_number=legacy.vaccinator,
                premises=place,
                county_code=county,
                species=species or "",
                vaccinated_on=vaccinated_on or timezone.localdate(),
                vaccine_name=cells["vaccine"][:100],
                batch_number=cells.get("batch", "")[:50],
                imported_by=actor,
                source_line=line,
            )
        )
    if problems:
        raise BusinessError(
            _("%(count)d rows have problems; nothing was imported.")
            % {"count": len({p["line"] for p in problems})},
            code=ROWS_REFUSED,
            items=[item(p["line"], p["message"], field=p["field"]) for p in problems],
        )
    LegacyImmunization.objects.bulk_create(records, batch_size=1000)
    audit_record(
        actor=actor,
        action="immunization.legacy_import",
        object_type="immunization.legacyimmunization",
        object_id=records[0].code,
        region_code=county,
        details={"count": len(records)},
    )
    return len(records)
