from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earmark.audit.checkpoints import checkpoint_make


class Command(BaseCommand):
    help = (
        "Sign the audit chain as it stands (length and last hash) and append the checkpoint to "
        "the checkpoint file, outside the database. Run it regularly (cron); the exchange "
        "worker also sends one with every delivery."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = checkpoint_make()
        self.stdout.write(
            f"checkpoint: {checkpoint.count} events, head {checkpoint.head_id} "
            f"{checkpoint.head_hash[:16]}…"
        )
