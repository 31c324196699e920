"""Loading a province's administrative divisions from a CSV file, all or nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.audit.services import audit_record
from earmark.core.codes import LEVEL_DEPTH, RegionLevel, is_region_code, is_within, level_of
from earmark.core.errors import BusinessError, item
from earmark.regions.errors import REGION_FILE_REFUSED
from earmark.regions.models import Region, RegionAlias

DATA_DIR = Path(__file__).resolve().parent / "data"
# The divisions shipped with the project, by province: Jilin's (the Ministry of Civil Affairs'
# list of 2025) and Heilongjiang's (see ``data/README.md`` for what it is and is not).
PROVINCE_FILES: dict[str, tuple[Path, Path]] = {
    "220000": (DATA_DIR / "jilin-divisions-2025.csv", DATA_DIR / "jilin-region-aliases.csv"),
    "230000": (
        DATA_DIR / "heilongjiang-divisions.csv",
        DATA_DIR / "heilongjiang-region-aliases.csv",
    ),
}
DEFAULT_REGIONS_FILE, DEFAULT_ALIASES_FILE = PROVINCE_FILES["220000"]

REGION_COLUMNS = ("code", "parent_code", "level", "name")
ALIAS_COLUMNS = ("old_code", "current_code", "name", "since")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    parent_code: str
    level: str
    name: str


def regions_load(*, regions_file: IO[str], aliases_file: IO[str] | None = None) -> LoadReport:
    """Load (or reload) regions and historical code aliases; the same file twice changes nothing.

    Every row is checked before anything is written; any problem refuses the whole file with
    one line per faulty row.
    """
    rows = _read_regions(regions_file)
    aliases = _read_aliases(aliases_file, {row.code: row for row in rows}) if aliases_file else []
    with transaction.atomic():
        report = _write_regions(rows)
        for old_code, current_code, name, since in aliases:
            RegionAlias.objects.update_or_create(
                code=old_code,
                defaults={"region_id": current_code, "name": name, "since": since},
            )
        report.aliases = len(aliases)
        audit_record(
            actor=None,
            action="regions.load",
            object_type="regions.region",
            object_id=rows[0].code if rows else "",
            details={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "aliases": report.aliases,
            },
        )
    return report


def regions_load_files(*, regions_path: Path, aliases_path: Path | None) -> LoadReport:
    with regions_path.open(encoding="utf-8-sig", newline="") as regions_file:
        if aliases_path is None:
            return regions_load(regions_file=regions_file)
        with aliases_path.open(encoding="utf-8-sig", newline="") as aliases_file:
            return regions_load(regions_file=regions_file, aliases_file=aliases_file)


def _read_regions(handle: IO[str]) -> list[_Row]:
    reader = csv.DictReader(handle)
    missing = [c for c in REGION_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BusinessError(
            _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code=REGION_FILE_REFUSED,
        )
    rows: list[_Row] = []
    errors: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        row = _Row(
            line=line,
            code=(record["code"] or "").strip(),
            parent_code=(record["parent_code"] or "").strip(),
            level=(record["level"] or "").strip(),
            name=(record["name"] or "").strip(),
        )
        problem = _row_problem(row, seen)
        if problem:
            errors.append({"line": line, "code": row.code, "error": problem})
        else:
            seen[row.code] = line
            rows.append(row)
    by_code = {row.code: row for row in rows}
    for row in rows:
        problem = _parent_problem(row, by_code)
        if problem:
            errors.append({"line": row.line, "code": row.code, "error": problem})
    if errors:
        errors.sort(key=lambda error: int(str(error["line"])))
        raise BusinessError(
            _("The region file has %(count)d faulty rows; nothing was loaded.")
            % {"count": len(errors)},
            code=REGION_FILE_REFUSED,
            items=[item(e["line"], f"{e['code']}：{e['error']}") for e in errors],
        )
    if not rows:
        raise BusinessError(_("The region file has no rows."), code=REGION_FILE_REFUSED)
    return rows


def _row_problem(row: _Row, seen: dict[str, int]) -> str | None:
    if not is_region_code(row.code):
        return _("the code must have 6 or 9 digits")
    if row.code in seen:
        return _("the code already appears on line %(line)d") % {"line": seen[row.code]}
    if row.level not in LEVEL_DEPTH:
        return _("the level must be province, city, county or township")
    if level_of(row.code) != row.level:
        return _("the code is not the code of a %(level)s") % {
            "level": Region.Level(row.level).label
        }
    if not row.name:
        return _("the name is empty")
    if row.level == RegionLevel.PROVINCE and row.parent_code:
        return _("a province has no parent")
    if row.level != RegionLevel.PROVINCE and not row.parent_code:
        return _("the parent code is missing")
    return None


def _parent_problem(row: _Row, by_code: dict[str, _Row]) -> str | None:
    if row.level == RegionLevel.PROVINCE:
        return None
    parent = by_code.get(row.parent_code)
    parent_level = parent.level if parent else _existing_level(row.parent_code)
    if parent_level is None:
        return _("the parent %(parent)s is neither in the file nor loaded") % {
            "parent": row.parent_code
        }
    if LEVEL_DEPTH[RegionLevel(parent_level)] != LEVEL_DEPTH[RegionLevel(row.level)] - 1:
        return _("the parent %(parent)s is not one level up") % {"parent": row.parent_code}
    if not is_within(row.code, row.parent_code):
        return _("the code does not start with its parent's prefix")
    return None


def _existing_level(code: str) -> str | None:
    return Region.objects.filter(code=code).values_list("level", flat=True).first()


def _read_aliases(
    handle: IO[str], rows_by_code: dict[str, _Row]
) -> list[tuple[str, str, str, int | None]]:
    reader = csv.DictReader(handle)
    missing = [c for c in ALIAS_COLUMNS[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise BusinessError(
            _("The alias file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code=REGION_FILE_REFUSED,
        )
    aliases = []
    errors: list[dict[str, object]] = []
    for line, record in enumerate(reader, start=2):
        old_code = (record.get("old_code") or "").strip()
        current = (record.get("current_code") or "").strip()
        since_text = (record.get("since") or "").strip()
        current_row = rows_by_code.get(current)
        current_level = current_row.level if current_row else _existing_level(current)
        if len(old_code) != 6 or not old_code.isdigit():
            problem = _("the old code must have 6 digits")
        elif old_code in rows_by_code:
            problem = _("the old code is still a region of its own")
        elif current_level != RegionLevel.COUNTY:
            problem = _("the current code %(code)s is not a county") % {"code": current}
        elif since_text and not since_text.isdigit():
            problem = _("the year must be a number")
        else:
            name = (record.get("name") or "").strip()
            aliases.append((old_code, current, name, int(since_text) if since_text else None))
            continue
        errors.append({"line": line, "code": old_code, "error": problem})
    if errors:
        raise BusinessError(
            _("The alias file has %(count)d faulty rows; nothing was loaded.")
            % {"count": len(errors)},
            code=REGION_FILE_REFUSED,
            items=[item(e["line"], f"{e['code']}：{e['error']}") for e in errors],
        )
    return aliases


def _write_regions(rows: list[_Row]) -> LoadReport:
    report = LoadReport()
    existing = {region.code: region for region in Region.objects.all()}
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in sorted(rows, key=lambda r: LEVEL_DEPTH[RegionLevel(r.level)]):
        parent_id = row.parent_code or None
        current = existing.get(row.code)
        if current is None:
            to_create.append(
                Region(code=row.code, name=row.name, level=row.level, parent_id=parent_id)
            )
        elif (current.name, current.level, current.parent_id) != (row.name, row.level, parent_id):
            current.name, current.level, current.parent_id = row.name, row.level, parent_id
            to_update.append(current)
        else:
            report.unchanged += 1
    Region.objects.bulk_create(to_create, batch_size=500)
    Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    for level in LEVEL_DEPTH:
        report.counts[level] = Region.objects.filter(level=level).count()
    return report
