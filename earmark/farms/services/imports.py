"""Importing premises from the workbook: every row checked first, then all or nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.core.errors import ROWS_REFUSED, BusinessError, item
from earmark.farms.excel import ParsedRow
from earmark.farms.models import Premises
from earmark.farms.services.registration import EDITORS, premises_create_many, premises_validate
from earmark.regions.models import Region


def township_index() -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(level=Region.Level.TOWNSHIP)}


def import_problems(
    *, actor: User | None, rows: list[ParsedRow], townships: dict[str, Region]
) -> list[dict[str, object]]:
    """One entry per faulty field of each row: line, field and message."""
    problems: list[dict[str, object]] = []
    existing = set(
        Premises.objects.filter(township_id__in={row.data.township for row in rows}).values_list(
            "township_id", "name"
        )
    )
    first_line: dict[tuple[str, str], int] = {}
    for row in rows:
        errors = premises_validate(row.data, user=actor, townships=townships)
        key = (row.data.township, row.data.name.strip())
        if "name" not in errors and "township" not in errors:
            if key in existing:
                errors["name"] = _("%(name)s is already registered in this township.") % {
                    "name": key[1]
                }
            elif key in first_line:
                errors["name"] = _("Duplicate of line %(line)d.") % {"line": first_line[key]}
            else:
                first_line[key] = row.line
        problems.extend(
            {"line": row.line, "field": field, "message": message}
            for field, message in sorted(errors.items())
        )
    return problems


@transaction.atomic
def premises_import(*, actor: User, rows: list[ParsedRow]) -> list[Premises]:
    """Register every row of a workbook, or none of them if any row is wrong."""
    require_role(actor, *EDITORS)
    townships = township_index()
    problems = import_problems(actor=actor, rows=rows, townships=townships)
    if problems:
        lines = len({p["line"] for p in problems})
        raise BusinessError(
            _("%(count)d rows have problems; nothing was imported.") % {"count": lines},
            code=ROWS_REFUSED,
            items=[item(p["line"], str(p["message"]), field=str(p["field"])) for p in problems],
        )
    created = premises_create_many(
        actor=actor, rows=[row.data for row in rows], townships=townships
    )
    audit_record(
        actor=actor,
        action="premises.import",
        object_type="farms.premises",
        object_id=created[0].code,
        region_code=actor.region_code or "",
        details={"count": len(created), "first": created[0].code, "last": created[-1].code},
    )
    return created
