"""Tag events read by document or by period, for the exchange (EPCIS)."""

from __future__ import annotations

from datetime import datetime

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import User
from earmark.eartags.models import TagEvent


def tag_events_between(
    *, user: User, start: datetime, end: datetime, kinds: list[str], limit: int
) -> list[TagEvent]:
    """The tag events of the user's jurisdiction of these kinds in ``[start, end]``, oldest
    first, at most ``limit``."""
    return list(
        TagEvent.objects.filter(
            jurisdiction_q(user, "county_code"), kind__in=kinds, created_at__range=(start, end)
        ).order_by("created_at", "id")[:limit]
    )


def tag_events_of_document(
    *, document_type: str, document_id: str, kinds: list[str], limit: int
) -> list[TagEvent]:
    """The tag events one document caused, oldest first, at most ``limit``."""
    return list(
        TagEvent.objects.filter(
            document_type=document_type, document_id=document_id, kind__in=kinds
        ).order_by("created_at", "id")[:limit]
    )
