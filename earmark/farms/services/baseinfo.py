"""Sync from the farm base-information collection system: upload its export, review the
diff (new, changed, missing), and apply it only when an officer confirms."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import (
    EMPTY_FILE,
    FILE_TOO_LARGE,
    MISSING_COLUMNS,
    ROWS_REFUSED,
    UNREADABLE_TEXT,
    BusinessError,
    PermissionDenied,
    item,
)
from earmark.core.excel import MAX_FILE_BYTES, bounded_rows, open_workbook, sheet_rows
from earmark.core.species import species_codes, species_name
from earmark.farms.errors import SYNC_ALREADY_APPLIED
from earmark.farms.models import BaseInfoSync, Premises, StockChange
from earmark.farms.services.changes import premises_update
from earmark.farms.services.imports import township_index
from earmark.farms.services.registration import (
    PremisesData,
    premises_create_many,
    premises_validate,
)
from earmark.farms.services.stock import stock_change_apply
from earmark.regions.models import Region

# How the collection system names the kinds, besides Earmark's own labels.
KIND_SYNONYMS = {
    "规模养殖场": "farm",
    "规模场": "farm",
    "养殖场": "farm",
    "养殖户": "household",
    "散养户": "household",
    "散户": "household",
    "屠宰场": "slaughterhouse",
    "屠宰厂": "slaughterhouse",
    "交易市场": "market",
    "无害化处理场": "disposal",
}
# An export of one county's premises, with room to spare.
MAX_ROWS = 50_000
COMPARED = ("kind", "name", "owner_name", "phone", "id_card", "township", "address")


def read_export(*, content: bytes, file_name: str) -> list[dict[str, str]]:
    """The export's rows as {Earmark field: text}, by the configured column headers."""
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        book = open_workbook(io.BytesIO(content))
        values = [
            [
                "" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v)
                for v in row
            ]
            for row in sheet_rows(book.worksheets[0], MAX_ROWS)
        ]
    else:
        if len(content) > MAX_FILE_BYTES:
            raise BusinessError(code=FILE_TOO_LARGE)
        values = list(bounded_rows(csv.reader(io.StringIO(_decode(content))), MAX_ROWS))
    if not values:
        raise BusinessError(code=EMPTY_FILE)
    header = [h.strip() for h in values[0]]
    # A species the settings do not map is read from "<its name>存栏" (马存栏).
    mapping: dict[str, str] = {
        **{f"stock.{code}": f"{species_name(code)}存栏" for code in species_codes()},
        **settings.EARMARK_BASEINFO_COLUMNS,
    }
    positions = {
        field: header.index(column) for field, column in mapping.items() if column in header
    }
    required = ("external_id", "name", "township")
    missing = [mapping[f] for f in required if f not in positions]
    if missing:
        raise BusinessError(
            _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)},
            code=MISSING_COLUMNS,
        )
    rows = []
    for line, record in enumerate(values[1:], start=2):
        row = {f: (record[i].strip() if i < len(record) else "") for f, i in positions.items()}
        if any(row.values()):
            row["line"] = str(line)
            rows.append(row)
    return rows


def _decode(content: bytes) -> str:
    # Exports from Chinese government systems are often GB 18030 rather than UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BusinessError(code=UNREADABLE_TEXT)


def _data(row: dict[str, str], county: str, townships: dict[str, Region]) -> PremisesData:
    township = row.get("township", "")
    if not township.isdigit():
        # A name is looked up in the county first; found only elsewhere, it is reported as
        # outside the county rather than as unknown.
        named = sorted(
            (not t.code.startswith(county), t.code)
            for t in townships.values()
            if t.name == township
        )
        township = named[0][1] if named else township
    kind = row.get("kind", "")
    return PremisesData(
        kind=KIND_SYNONYMS.get(kind, _kind_value(kind)),
        name=row.get("name", ""),
        township=township,
        owner_name=row.get("owner_name", ""),
        phone=row.get("phone", ""),
        id_card=row.get("id_card", ""),
        address=row.get("address", ""),
        stock={s: row[f"stock.{s}"] for s in species_codes() if row.get(f"stock.{s}", "") != ""},
        external_id=row.get("external_id", ""),
    )


def _kind_value(text: str) -> str:
    for value, label in Premises.Kind.choices:
        if text in (value, str(label)):
            return value
    return text or Premises.Kind.HOUSEHOLD


@transaction.atomic
def baseinfo_sync_upload(*, actor: User, content: bytes, file_name: str) -> BaseInfoSync:
    """Read the export and work out the diff against the county's premises; change nothing."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None:
        raise PermissionDenied(_("Base information is synced by a county agency."))
    rows = read_export(content=content, file_name=file_name)
    townships = township_index()
    errors: list[dict[str, object]] = []
    new: list[str] = []
    changed: dict[str, dict[str, list[Any]]] = {}
    seen: set[str] = set()
    existing = {
        p.external_id: p
        for p in Premises.objects.filter(county_code=county)
        .exclude(external_id="")
        .prefetch_related("stock")
    }
    for row in rows:
        data = _data(row, county, townships)
        problems = premises_validate(data, user=actor, townships=townships)
        if not data.external_id:
            problems["external_id"] = _("The record has no code of its own.")
        elif data.external_id in seen:
            problems["external_id"] = _("The code %(code)s appears twice.") % {
                "code": data.external_id
            }
        seen.add(data.external_id)
        if problems:
            errors.extend(item(row["line"], m, field=f) for f, m in sorted(problems.items()))
            continue
        current = existing.get(data.external_id)
        if current is None:
            new.append(data.external_id)
            continue
        difference = _difference(current, data)
        if difference:
            changed[data.external_id] = difference
    missing = sorted(set(existing) - seen)
    sync = BaseInfoSync.objects.create(
        county_id=county,
        uploaded_by=actor,
        file_name=file_name[:200],
        rows=rows,
        diff={
            "new": new,
            "changed": changed,
            "missing": [
                {"external_id": e, "code": existing[e].code, "name": existing[e].name}
                for e in missing
            ],
            "errors": errors,
        },
    )
    audit_record(
        actor=actor,
        action="baseinfo.upload",
        obj=sync,
        region_code=county,
        details={
            "file": sync.file_name,
            "new": len(new),
            "changed": len(changed),
            "errors": len(errors),
        },
    )
    return sync


def _difference(current: Premises, data: PremisesData) -> dict[str, list[Any]]:
    difference: dict[str, list[Any]] = {}
    for field in COMPARED:
        before = current.township_id if field == "township" else getattr(current, field)
        after = getattr(data, field).strip()
        if field == "id_card":
            after = after.upper()
        if (before or "") != after:
            difference[field] = [before, after]
    stock = {s.species: s.quantity for s in current.stock.all()}
    for species, quantity in (data.stock or {}).items():
        if stock.get(species) != int(quantity):
            difference[f"stock.{species}"] = [stock.get(species), int(quantity)]
    return difference


@transaction.atomic
def baseinfo_sync_apply(*, actor: User, sync: BaseInfoSync) -> BaseInfoSync:
    """Apply a reviewed diff: create the new premises, change the changed ones (a key change
    sends them back to verification; stock differences become correction rows). Premises
    missing from the export are only listed, never removed."""
    require_role(actor, Role.COUNTY_OFFICER)
    require_region(actor, sync.county_id)
    sync = BaseInfoSync.objects.select_for_update().get(pk=sync.pk)
    if sync.applied_at is not None:
        raise BusinessError(code=SYNC_ALREADY_APPLIED)
    if sync.diff.get("errors"):
        raise BusinessError(
            _("The file has faulty rows; correct them in the collection system and upload again."),
            code=ROWS_REFUSED,
            items=sync.diff["errors"],
        )
    townships = township_index()
    by_id = {row["external_id"]: _data(row, sync.county_id, townships) for row in sync.rows}
    new_rows = [by_id[e] for e in sync.diff["new"]]
    if new_rows:
        premises_create_many(actor=actor, rows=new_rows, townships=townships)
    for external_id, difference in sync.diff["changed"].items():
        premises = Premises.objects.get(county_code=sync.county_id, external_id=external_id)
        fields = {
            f: getattr(by_id[external_id], f) for f in difference if not f.startswith("stock.")
        }
        if fields:
            premises_update(actor=actor, premises=premises, changes=fields)
        for key, (before, after) in difference.items():
            if key.startswith("stock.") and (after or 0) != (before or 0):
                stock_change_apply(
                    premises=premises,
                    species=key.split(".", 1)[1],
                    delta=(after or 0) - (before or 0),
                    reason=StockChange.Reason.CORRECTION,
                    actor=actor,
                    document_type="baseinfo_sync",
                    document_id=str(sync.pk),
                    note=gettext_noop("Base-information sync"),
                )
    sync.applied_at = timezone.now()
    sync.applied_by = actor
    sync.save(update_fields=["applied_at", "applied_by"])
    audit_record(
        actor=actor,
        action="baseinfo.apply",
        obj=sync,
        region_code=sync.county_id,
        details={"new": len(new_rows), "changed": len(sync.diff["changed"])},
    )
    return sync
