"""The key of the audit chain's HMAC. It lives in a file outside the database (like the
certificate signing key), so that someone who can write to the database cannot compute the
hash of a row they forge or edit. Lose it and the chain no longer verifies: back it up."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings


def audit_key_path() -> Path:
    return Path(settings.EARMARK_AUDIT_KEY)


def audit_key() -> bytes:
    """The key, created (32 random bytes, owner-only) on first use where none exists yet."""
    path = audit_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())
