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
        parser.add_argument(
            "--new-install",
            action="store_true",
            help="accept a chain that no checkpoint signs yet (a fresh installation)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify(checkpoint=options.get("checkpoint"))
        if report.broken is not None:
            raise CommandError(
                f"audit chain broken at event {report.broken.event_id}: {report.broken.reason} "
                f"({report.checked} events checked)"
            )
        if report.unanchored and not options["new_install"]:
            raise CommandError(
                f"no signed checkpoint to hold the chain against ({report.checked} events "
                "checked, each link intact): rows deleted at its end would not be seen. Run "
                "`earmark audit_checkpoint` (the exchange worker signs one every hour), or pass "
                "--new-install on a fresh installation."
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events"))
