"""What a province administrator does to the outbox: send a dead letter again once the platform's
problem is fixed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.audit.services import audit_record
from earmark.core.errors import NotFound


@transaction.atomic
def dead_letter_requeue(*, actor: User, event_id: int) -> OutboxEvent:
    """A province admin sends a dead letter again (after the platform's problem is fixed)."""
    require_role(actor, Role.PROVINCE_ADMIN)
    event = (
        OutboxEvent.objects.select_for_update()
        .filter(pk=event_id, status=OutboxEvent.Status.DEAD)
        .first()
    )
    if event is None:
        raise NotFound(_("No dead letter %(id)s.") % {"id": event_id})
    event.status = OutboxEvent.Status.PENDING
    event.attempts = 0
    event.next_attempt_at = timezone.now()
    event.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        actor=actor,
        action="exchange.requeue",
        obj=event,
        region_code=actor.region_code or "",
        details={"key": str(event.key), "type": event.event_type, "error": event.last_error},
    )
    return event
