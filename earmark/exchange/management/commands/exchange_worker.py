from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from earmark.exchange.selectors import exchange_status
from earmark.exchange.worker import run


class Command(BaseCommand):
    help = (
        "Deliver the outbox to the national platform (EARMARK_NATIONAL_URL). Runs until "
        "stopped; --once delivers what is due and exits (for cron). Several may run at once. "
        "Signs the audit chain when it has gone unsigned for EARMARK_AUDIT_CHECKPOINT_MINUTES "
        "(60) and sends the checkpoint with the rest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds to wait when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EARMARK_NATIONAL_URL:
            raise CommandError("set EARMARK_NATIONAL_URL to the national platform's address")
        # The chain is signed and sent when it has gone unsigned for the setting's minutes.
        every = timedelta(minutes=settings.EARMARK_AUDIT_CHECKPOINT_MINUTES)
        delivered = run(once=options["once"], idle_sleep=options["sleep"], sign_every=every)
        status = exchange_status()
        self.stdout.write(
            f"delivered {delivered}; pending {status.pending}, dead letters {status.dead}"
        )
