from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.core.errors import BusinessError
from earmark.regions.services import (
    DEFAULT_ALIASES_FILE,
    DEFAULT_REGIONS_FILE,
    regions_load_files,
)


class Command(BaseCommand):
    help = (
        "Load a province's administrative divisions (CSV: code,parent_code,level,name) and its "
        "historical county codes. Loading the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, default=None, help="regions CSV (default: Jilin 2025)"
        )
        parser.add_argument(
            "--aliases",
            type=Path,
            default=None,
            help="historical codes CSV: old_code,current_code,name,since "
            "(default: Jilin's, when loading the default regions file)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        regions_path: Path = options["file"] or DEFAULT_REGIONS_FILE
        aliases_path: Path | None = options["aliases"]
        if aliases_path is None and options["file"] is None:
            aliases_path = DEFAULT_ALIASES_FILE
        for path in (regions_path, aliases_path):
            if path is not None and not path.is_file():
                raise CommandError(f"no such file: {path}")
        try:
            report = regions_load_files(regions_path=regions_path, aliases_path=aliases_path)
        except BusinessError as error:
            lines = [str(error.message)]
            for row in error.detail["items"]:
                lines.append(f"  line {row['ref']}: {'; '.join(row['problems'])}")
            raise CommandError("\n".join(lines)) from error
        counts = ", ".join(f"{level} {count}" for level, count in report.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"regions: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged, {report.aliases} aliases; now {counts}"
            )
        )
