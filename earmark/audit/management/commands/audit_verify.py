from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from earmark.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.broken is not None:
            raise CommandError(
                f"audit chain broken at event {report.broken.event_id}: {report.broken.reason} "
                f"({report.checked} events before it are intact)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events"))
