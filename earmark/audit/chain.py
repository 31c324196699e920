"""The hash chain over audit events: how a row's content hash is computed — an HMAC-SHA256
under a key kept outside the database (rows written before the key existed: plain SHA-256)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_details(details: dict[str, Any]) -> dict[str, Any]:
    """Details as they will read back from the database (JSON types only)."""
    return json.loads(json.dumps(details, default=str, ensure_ascii=False))  # type: ignore[no-any-return]


def content_hash(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    region_code: str,
    details: dict[str, Any],
    key: bytes | None,
) -> str:
    payload = {
        "prev_hash": prev_hash,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "region_code": region_code,
        "details": details,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if key is None:
        return hashlib.sha256(text.encode()).hexdigest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
