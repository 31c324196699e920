"""Faults lose nothing (#34): a full disk where the audit checkpoints are written leaves the file
as it was and the delivery goes on; a database that goes away in the middle of a round leaves the
batch pending, and the worker carries on when it is back, each event delivered once."""

from __future__ import annotations

import errno
import os
from typing import Any

import pytest
from django.db import OperationalError

from earmark.accounts.models import User
from earmark.audit.checkpoints import CheckpointNotWritten, checkpoint_latest, checkpoint_make
from earmark.audit.models import OutboxEvent
from earmark.audit.selectors import audit_chain_verify
from earmark.exchange import worker
from earmark.exchange.simulator import Platform
from earmark.exchange.worker import run


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes to the checkpoint file fail as on a full disk, after writing part of the line."""
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".jsonl"):
            real(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_a_full_disk_leaves_the_checkpoint_file_whole(
    county_officer: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    checkpoint_make()
    before = settings.EARMARK_AUDIT_CHECKPOINTS.read_bytes()
    _disk_full(monkeypatch)
    with pytest.raises(CheckpointNotWritten, match="No space left"):
        checkpoint_make()
    assert settings.EARMARK_AUDIT_CHECKPOINTS.read_bytes() == before
    monkeypatch.undo()
    assert audit_chain_verify(checkpoint=checkpoint_latest()).ok


def _events(count: int) -> int:
    for n in range(count):
        OutboxEvent.objects.create(event_type="test.event", aggregate=f"a{n % 2}", payload={})
    return count


def test_the_worker_delivers_through_a_full_disk_and_signs_when_there_is_room(
    county_officer: User, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = _events(5)
    _disk_full(monkeypatch)
    assert run(once=True) == pending
    assert not OutboxEvent.objects.exclude(status="delivered").exists()
    monkeypatch.undo()
    assert platform.checkpoint == ""  # no checkpoint travelled with it
    OutboxEvent.objects.create(event_type="test.after", aggregate="a", payload={})
    assert run(once=True) == 1
    assert audit_chain_verify(checkpoint=platform.checkpoint).ok


@pytest.mark.django_db(transaction=True)
def test_a_database_lost_in_the_middle_of_a_round_loses_and_doubles_nothing(
    county_officer: User, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker closes the broken connection and opens a new one (outside a test's own
    transaction, as in production)."""
    pending = _events(5)
    real = worker._claim
    calls = {"n": 0}

    def claim() -> list[OutboxEvent]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real()

    monkeypatch.setattr(worker, "_claim", claim)
    assert run(once=True) == 0  # the round gave up; the worker did not die
    assert OutboxEvent.objects.filter(status="pending").count() == pending
    assert run(once=True) == pending
    keys = [e["key"] for e in platform.events]
    assert len(keys) == len(set(keys)) == pending
