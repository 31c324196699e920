"""Writing domain events to the outbox, inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from earmark.audit.models import OutboxEvent


def outbox_emit(event_type: str, aggregate: str, payload: dict[str, Any]) -> OutboxEvent:
    """Record an event for the national platform. Called by the service that made the change,
    in its transaction: the event exists if and only if the change does."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_emit must run inside the transaction of the change")
    clean = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    return OutboxEvent.objects.create(event_type=event_type, aggregate=aggregate, payload=clean)


def outbox_emit_many(events: list[tuple[str, str, dict[str, Any]]]) -> None:
    if not events:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_emit must run inside the transaction of the change")
    OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                event_type=event_type,
                aggregate=aggregate,
                payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
            )
            for event_type, aggregate, payload in events
        ],
        batch_size=1000,
    )
