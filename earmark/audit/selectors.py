from __future__ import annotations

from dataclasses import dataclass

from earmark.audit.chain import GENESIS_HASH, content_hash
from earmark.audit.checkpoints import checkpoint_latest, checkpoint_read
from earmark.audit.keys import audit_key
from earmark.audit.models import AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None
    # No signed checkpoint to hold the chain against: deleted rows at the end, or a chain
    # rebuilt by someone who also took the key, would not be seen.
    unanchored: bool = False

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_chain_verify(*, chunk_size: int = 2000, checkpoint: str | None = None) -> ChainReport:
    """Walk the chain in order and report the first row whose link or keyed hash is wrong; then
    hold it against the last signed checkpoint (``checkpoint``, else the one in the file), which
    finds rows deleted at the end or a chain rebuilt from some row on."""
    key = audit_key()
    prev_hash = GENESIS_HASH
    checked = 0
    seen_keyed = False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked, ChainBreak(event.id, "previous-hash link does not match the row before")
            )
        if seen_keyed and not event.keyed:
            return ChainReport(checked, ChainBreak(event.id, "an unkeyed row after keyed rows"))
        seen_keyed = seen_keyed or event.keyed
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
            key=key if event.keyed else None,
        )
        if event.hash != expected:
            return ChainReport(checked, ChainBreak(event.id, "content does not match its hash"))
        prev_hash = event.hash
        checked += 1
    payload = checkpoint or checkpoint_latest()
    if payload is None:
        return ChainReport(checked, None, unanchored=True)
    broken = _against_checkpoint(payload)
    if broken is not None:
        return ChainReport(checked, broken)
    return ChainReport(checked, None)


def _against_checkpoint(payload: str) -> ChainBreak | None:
    fields, problem = checkpoint_read(payload)
    if fields is None:
        return ChainBreak(0, problem)
    head_id, head_hash = int(fields["head_id"]), str(fields["head_hash"])
    if head_id == 0:
        return None
    head = AuditEvent.objects.filter(id=head_id).only("hash").first()
    if head is None:
        return ChainBreak(head_id, "rows signed in the last checkpoint are missing (truncated)")
    if head.hash != head_hash:
        return ChainBreak(head_id, "the chain differs from the last checkpoint (rebuilt)")
    if AuditEvent.objects.filter(id__lte=head_id).count() != int(fields["count"]):
        return ChainBreak(head_id, "rows before the last checkpoint were removed")
    return None
