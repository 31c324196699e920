from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earmark.core.error_table import DOCUMENT, document_with_table, error_table


class Command(BaseCommand):
    help = "Print the table of every error code, or write it into docs/api.md (--write)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help=f"rewrite {DOCUMENT}")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["write"]:
            self.stdout.write(error_table())
            return
        DOCUMENT.write_text(document_with_table(DOCUMENT.read_text(encoding="utf-8")), "utf-8")
        self.stdout.write(f"wrote the error codes into {DOCUMENT}")
