"""Bearer tokens as the apps that issue them share them: ``<kind>_<prefix>_<secret>``, the
prefix kept in clear to find the row, only a hash of the whole kept at rest."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone


def token_hash(raw: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is as strong as a slow password hash.
    return hashlib.sha256(raw.encode()).hexdigest()


def token_new(kind: str) -> tuple[str, str]:
    """A new token of ``kind`` (``em`` staff, ``fm`` farm): its prefix and the raw token."""
    prefix = secrets.token_hex(6)
    return prefix, f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"


def token_prefix(raw: str, kind: str) -> str | None:
    """The prefix of a raw token of ``kind``, or None when it is not one."""
    parts = raw.split("_", 2)
    return parts[1] if len(parts) == 3 and parts[0] == kind else None


def token_matches(raw: str, key_hash: str) -> bool:
    return hmac.compare_digest(key_hash, token_hash(raw))


def token_touch(token: Any) -> None:
    """Record a token's use, at most once per ``EARMARK_TOKEN_TOUCH_SECONDS`` (a write per
    request would cost more than it tells)."""
    now = timezone.now()
    every = timedelta(seconds=settings.EARMARK_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= every:
        type(token).objects.filter(pk=token.pk).update(last_used_at=now)
