"""Signed checkpoints of the audit chain: its length and the hash of its last row, signed with
the province's key and kept outside the database — appended to a file, and sent to the national
platform with every delivery. Someone who can write to the database may delete the newest rows or
rebuild the chain; the last checkpoint still says how long it was and how it ended."""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from earmark.audit.models import AuditEvent
from earmark.core import signing

KIND = "audit-checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_id: int
    head_hash: str
    at: str
    payload: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
            "at": self.at,
            "payload": self.payload,
        }


def checkpoint_path() -> Path:
    return Path(settings.EARMARK_AUDIT_CHECKPOINTS)


def checkpoint_make() -> Checkpoint:
    """Sign the chain as it stands and append the checkpoint to the file."""
    head = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    head_id, head_hash = (head.id, head.hash) if head else (0, "")
    # Counted up to the head read: rows appended meanwhile belong to the next checkpoint.
    count = AuditEvent.objects.filter(id__lte=head_id).count()
    at = timezone.now().isoformat()
    fields = {"kind": KIND, "count": count, "head_id": head_id, "head_hash": head_hash, "at": at}
    checkpoint = Checkpoint(count, head_id, head_hash, at, signing.sign(fields))
    _append(checkpoint_path(), (json.dumps(checkpoint.as_dict()) + "\n").encode())
    return checkpoint


class CheckpointNotWritten(OSError):
    """The checkpoint file could not take the new line (a full disk): it is as it was."""


def _append(path: Path, line: bytes) -> None:
    """Append ``line`` whole or not at all: on a full disk the file is cut back to its length
    before, so that its last line stays a whole checkpoint (#34)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        except OSError as error:
            os.ftruncate(fd, size)
            raise CheckpointNotWritten(
                error.errno, f"audit checkpoint not written to {path}: {error.strerror or error}"
            ) from error
    finally:
        os.close(fd)


def checkpoint_latest() -> str | None:
    """The payload of the last checkpoint written to the file, if any."""
    last = _last_line()
    return str(last["payload"]) if last else None


def checkpoint_latest_at() -> datetime | None:
    """When the last checkpoint in the file was signed, if there is one."""
    last = _last_line()
    return datetime.fromisoformat(str(last["at"])) if last else None


def _last_line() -> dict[str, Any] | None:
    """The file's last checkpoint, read from its end: the file grows with every delivery."""
    path = checkpoint_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, 2)
        end = handle.tell()
        step, tail = 4096, b""
        while end > 0:
            start = max(0, end - step)
            handle.seek(start)
            tail = handle.read(end - start) + tail
            end = start
            lines = [line for line in tail.splitlines() if line.strip()]
            if len(lines) > 1 or (lines and start == 0):
                return dict(json.loads(lines[-1]))
    return None


def checkpoint_due(*, every: timedelta) -> bool:
    """Whether the chain has gone unsigned for ``every`` or longer (or was never signed)."""
    at = checkpoint_latest_at()
    return at is None or timezone.now() - at >= every


def checkpoint_read(payload: str) -> tuple[dict[str, Any] | None, str]:
    """The fields of a checkpoint whose signature holds, or None and why not."""
    verified = signing.verify_own(payload)
    if not verified.ok:
        return None, f"checkpoint signature: {verified.reason}"
    if verified.fields.get("kind") != KIND:
        return None, "not an audit checkpoint"
    return verified.fields, ""
