"""What the province administrator reads of the exchange: how delivery stands, and the dead
letters waiting for him."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone

from earmark.audit.models import OutboxEvent


@dataclass
class Status:
    pending: int
    delivered: int
    failed: int
    dead: int
    oldest_pending_seconds: int | None


def exchange_status() -> Status:
    counts = dict(
        OutboxEvent.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    pending = OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING)
    oldest = pending.aggregate(at=Min("occurred_at"))["at"]
    return Status(
        pending=counts.get(OutboxEvent.Status.PENDING, 0),
        delivered=counts.get(OutboxEvent.Status.DELIVERED, 0),
        failed=pending.filter(attempts__gt=0).count(),
        dead=counts.get(OutboxEvent.Status.DEAD, 0),
        oldest_pending_seconds=int((timezone.now() - oldest).total_seconds()) if oldest else None,
    )


def dead_letters(limit: int = 100) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(status=OutboxEvent.Status.DEAD)[:limit])
