from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.core.errors import BusinessError
from earmark.regions.services import PROVINCE_FILES, regions_load_files


class Command(BaseCommand):
    help = (
        "Load a province's administrative divisions (CSV: code,parent_code,level,name) and its "
        "historical county codes; by default the files shipped for EARMARK_PROVINCE_CODE "
        "(Jilin, Heilongjiang). Loading the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            default=None,
            help="regions CSV (default: the shipped file of the instance's province)",
        )
        parser.add_argument(
            "--aliases",
            type=Path,
            default=None,
            help="historical codes CSV: old_code,current_code,name,since "
            "(default: the shipped one, when loading the default regions file)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        regions_path: Path | None = options["file"]
        aliases_path: Path | None = options["aliases"]
        if regions_path is None:
            shipped = PROVINCE_FILES.get(settings.EARMARK_PROVINCE_CODE)
            if shipped is None:
                raise CommandError(
                    f"no divisions are shipped for {settings.EARMARK_PROVINCE_CODE}: name the file"
                )
            regions_path, aliases_path = shipped[0], aliases_path or shipped[1]
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
