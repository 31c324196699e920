"""The failure drill an operator runs (#34, docs/operations.md): the server killed with SIGKILL
in the middle of a write. A 10,000-row premises import is sent to a real server (gunicorn, in a
process of its own, on this test's PostgreSQL database); the moment its transaction is writing,
the server is killed. Afterwards the import is absent — no premises, no audit row, no outbox
event of it — the audit chain verifies, and the same workbook imports whole when sent again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.audit.models import AuditEvent, OutboxEvent
from earmark.audit.selectors import audit_chain_verify
from earmark.farms.models import Premises

ROOT = Path(__file__).resolve().parents[3]
ROWS = 10_000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the drill watches PostgreSQL's activity"
    ),
]


def _server(port: int) -> subprocess.Popen[bytes]:
    database = connection.settings_dict
    url = (
        f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    return subprocess.Popen(  # noqa: S603 - our own server
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "earmark.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(port: int) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _upload(port: int, token: str, content: bytes) -> int:
    boundary = "drillboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="premises.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/premises/import",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0  # the server died under it


def _writing_premises() -> bool:
    """Whether a backend of another process is inside a transaction that has written premises
    (its last statement an INSERT of them: it stays shown while the transaction is open)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND query ILIKE %s",
            ['%INSERT INTO "farms_premises"%'],
        )
        return bool(cursor.fetchone()[0])


def test_a_server_killed_in_the_middle_of_an_import_leaves_it_absent(
    county_officer: User,
) -> None:
    from bench.generate import premises_workbook

    content = premises_workbook(county="220102", rows=ROWS)
    _token, raw = token_create(actor=None, user=county_officer, name="drill")
    before = (Premises.objects.count(), AuditEvent.objects.count(), OutboxEvent.objects.count())
    port = _free_port()
    server = _server(port)
    try:
        _wait_up(port)
        outcome: list[int] = []
        sender = threading.Thread(target=lambda: outcome.append(_upload(port, raw, content)))
        sender.start()
        deadline = time.monotonic() + 240
        while not _writing_premises():
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.02)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        sender.join(timeout=60)
        assert outcome == [0]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    # PostgreSQL rolls back the transaction of a client that went away.
    deadline = time.monotonic() + 30
    while _writing_premises() and time.monotonic() < deadline:
        time.sleep(0.1)
    after = (Premises.objects.count(), AuditEvent.objects.count(), OutboxEvent.objects.count())
    assert after == before
    assert audit_chain_verify().ok
    # Started again, the server imports the same workbook whole.
    port = _free_port()
    server = _server(port)
    try:
        _wait_up(port)
        assert _upload(port, raw, content) == 201
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    assert Premises.objects.count() == before[0] + ROWS
    assert audit_chain_verify().ok
