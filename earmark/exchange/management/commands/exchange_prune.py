from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from earmark.audit.models import OutboxEvent


class Command(BaseCommand):
    help = (
        "Delete outbox events delivered more than --days ago (90 by default); pending and dead "
        "events are never deleted. Run it daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - timedelta(days=max(options["days"], 1))
        deleted, _rows = OutboxEvent.objects.filter(
            status=OutboxEvent.Status.DELIVERED, delivered_at__lt=before
        ).delete()
        self.stdout.write(f"deleted {deleted} delivered events older than {options['days']} days")
