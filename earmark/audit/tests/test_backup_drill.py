"""The SQLite drill (#34, docs/operations.md): a copy of the embedded database taken with
SQLite's online backup while the server writes, restored into an empty file, holds an intact
audit chain — every link and keyed hash — up to the moment it was taken."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from earmark.accounts.fixtures import MakeUser
from earmark.audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded database's drill"),
]


def test_a_backup_taken_while_the_server_writes_verifies(
    make_user: MakeUser, tmp_path: Path
) -> None:
    path = tmp_path / "restored.sqlite3"
    make_user()
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        try:
            while not stop.is_set():
                make_user()  # each one an audit row
                written.append(1)
        finally:
            connections["default"].close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.05)
        source = sqlite3.connect(connection.settings_dict["NAME"])
        with sqlite3.connect(path) as target:
            source.backup(target, pages=64)  # a few pages at a time, the writer going on
        source.close()
        copied_at = len(written)
        while len(written) < copied_at + 3:
            stop.wait(0.05)
    finally:
        stop.set()
        writer.join(timeout=60)
    with sqlite3.connect(path) as restored:
        in_copy = restored.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
    assert 0 < in_copy < AuditEvent.objects.count()
    # The operator's check, on the restored file (no checkpoint signs this test's chain).
    verified = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "earmark"), "audit_verify", "--new-install"],
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            # This test's own checkpoint file (none): not the installation's under var/.
            "EARMARK_AUDIT_CHECKPOINTS": str(settings.EARMARK_AUDIT_CHECKPOINTS),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert f"audit chain intact: {in_copy} events" in verified.stdout
