from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit log: every row's link and keyed hash, then the chain against the last "
        "signed checkpoint (truncation, a rebuilt chain). Reports which check failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            help="a checkpoint payload to hold the chain against (e.g. the national platform's "
            "copy), instead of the last one in the checkpoint file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify(checkpoint=options.get("checkpoint"))
        if report.broken is not None:
            raise CommandError(
                f"audit chain broken at event {report.broken.event_id}: {report.broken.reason} "
                f"({report.checked} events checked)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events"))
