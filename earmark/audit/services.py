from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from earmark.audit.chain import GENESIS_HASH, canonical_details, content_hash
from earmark.audit.keys import audit_key
from earmark.audit.models import AuditEvent

# Any fixed number: the key of the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 7_220_000_001


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event inside the caller's transaction.

    Services call this as part of their own ``transaction.atomic`` block, so that the event
    and the change are committed together or not at all.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").only("hash").first()
    prev_hash = last.hash if last else GENESIS_HASH
    actor_id = actor.pk if actor is not None else None
    actor_label = actor.get_username() if actor is not None else "system"
    clean_details = canonical_details(details or {})
    created_at = timezone.now()
    event = AuditEvent(
        created_at=created_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        details=clean_details,
        prev_hash=prev_hash,
        hash=content_hash(
            prev_hash=prev_hash,
            created_at=created_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            region_code=region_code,
            details=clean_details,
            key=audit_key(),
        ),
        keyed=True,
    )
    event.save(force_insert=True)
    return event


def _lock_chain() -> None:
    """Make concurrent appends take turns so that the chain never forks.

    On SQLite every write transaction already holds the database's write lock from its start
    (IMMEDIATE mode, see settings), which serialises appends by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The foreign keys of what this transaction wrote are checked now, before the
            # chain's lock, not at commit: else a commit holding the chain could wait for a row
            # another transaction has locked while that one waits for the chain (a deadlock).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
