from __future__ import annotations

from dataclasses import dataclass

from earmark.audit.chain import GENESIS_HASH, content_hash
from earmark.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain in order and report the first row whose link or content is wrong."""
    prev_hash = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked, ChainBreak(event.id, "previous-hash link does not match the row before")
            )
        expected = content_hash(
            prev_hash=event.prev_hash,
            created_at=event.created_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            region_code=event.region_code,
            details=event.details,
        )
        if event.hash != expected:
            return ChainReport(checked, ChainBreak(event.id, "content does not match its hash"))
        prev_hash = event.hash
        checked += 1
    return ChainReport(checked, None)
