"""What the province administrator reads of the exchange: how delivery stands, the dead letters
waiting for him, and what the platform handed over that was set aside."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.exchange.models import HeldEvent


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


def held_events(*, user: User, status: str | None = None) -> QuerySet[HeldEvent]:
    """What the platform handed over that was set aside, latest seen first."""
    require_role(user, Role.PROVINCE_ADMIN)
    held = HeldEvent.objects.all()
    return held.filter(status=status) if status else held
