from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from earmark.accounts.access import request_user, require_role, user_jurisdiction
from earmark.accounts.models import Role
from earmark.audit.models import OutboxEvent
from earmark.core.schemas import Day, Moment
from earmark.exchange.epcis import certificate_epcis, epcis_document
from earmark.exchange.selectors import dead_letters, exchange_status
from earmark.exchange.services.outbox import dead_letter_requeue
from earmark.quarantine.selectors import certificate_get

router = Router(tags=["exchange"])


class DeadLetterOut(Schema):
    id: int
    key: str
    event_type: str
    aggregate: str
    attempts: int
    last_error: str
    occurred_at: datetime


class StatusOut(Schema):
    pending: int
    delivered: int
    failed: int
    dead: int
    oldest_pending_seconds: int | None
    dead_letters: list[DeadLetterOut]


def _dead(event: OutboxEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "key": str(event.key),
        "event_type": event.event_type,
        "aggregate": event.aggregate,
        "attempts": event.attempts,
        "last_error": event.last_error,
        "occurred_at": event.occurred_at,
    }


@router.get("/exchange", response=StatusOut, summary="Delivery to the national platform")
def exchange_get(request: HttpRequest) -> dict[str, Any]:
    require_role(request_user(request), Role.PROVINCE_ADMIN)
    state = exchange_status()
    return {**state.__dict__, "dead_letters": [_dead(e) for e in dead_letters()]}


@router.post(
    "/dead-letters/{event_id}/requeue",
    response=DeadLetterOut,
    summary="Send a dead letter again (province administrator)",
)
def dead_letters_requeue(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _dead(dead_letter_requeue(actor=request_user(request), event_id=event_id))


@router.get(
    "/tag-events/epcis",
    summary="Tag events of your jurisdiction as a GS1 EPCIS 2.0 JSON-LD document",
    description=(
        "`from` and `to` take a day (the whole day, in China time) or a moment with its offset "
        "(ISO 8601); by default today. Identifiers are https URIs under the province's "
        "identifier base, each resolved by `/id/…`."
    ),
    response={200: dict[str, Any]},
)
def tag_events_epcis(
    request: HttpRequest,
    since: Day | Moment | None = Query(None, alias="from"),  # noqa: B008
    until: Day | Moment | None = Query(None, alias="to"),  # noqa: B008
) -> dict[str, Any]:
    user = request_user(request)
    user_jurisdiction(user)
    end = _moment(until or timezone.localdate(), end=True)
    start = _moment(since or timezone.localtime(end).date(), end=False)
    return epcis_document(user=user, start=start, end=end)


@router.get(
    "/certificates/{number}/epcis",
    summary="One certificate's events as a GS1 EPCIS 2.0 JSON-LD document",
    description=(
        "Its shipment from the origin, a revocation, the arrival and the tags recovered at "
        "slaughter, each one ObjectEvent whatever the numbers' pattern; for whoever may read "
        "the certificate."
    ),
    response={200: dict[str, Any]},
)
def certificates_epcis(request: HttpRequest, number: str) -> dict[str, Any]:
    certificate = certificate_get(user=request_user(request), number=number)
    return certificate_epcis(number=certificate.number)


def _moment(value: date | datetime, *, end: bool) -> datetime:
    """A moment as given (its offset kept, China time when it has none), or a day's first or
    last moment in China time."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time.max if end else time.min))
