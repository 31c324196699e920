"""The failure drill an operator runs (#34, docs/operations.md): the server killed with SIGKILL
in the middle of a write. A 10,000-row premises import, a certificate and a vaccination are each
sent to a real server (gunicorn, in a process of its own, on this test's PostgreSQL database).
The test holds the audit chain's lock, which every write takes last, after all its other rows:
the moment the server's transaction waits for it, everything else written, the server is killed.
Afterwards the write is absent — none of its rows, no audit row, no outbox event — the audit
chain verifies, and the same request, sent again (to the test's own application), lands whole."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from earmark.accounts.models import User
from earmark.accounts.tokens import token_create
from earmark.audit.models import AuditEvent, OutboxEvent
from earmark.audit.selectors import audit_chain_verify
from earmark.audit.services import _CHAIN_LOCK_KEY
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import ImmunizationRecord
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect

ROOT = Path(__file__).resolve().parents[3]
ROWS = 10_000
# The lock every audit append takes last (earmark.audit.services).
CHAIN_LOCK = _CHAIN_LOCK_KEY

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
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        # The test's own signing key (quarantine.fixtures), the one its certificates check with.
        "EARMARK_SIGNING_KEY": str(settings.EARMARK_SIGNING_KEY),
    }
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


def _waiting_on_the_chain() -> bool:
    """Whether another backend waits for the audit chain's lock: its write is done but for the
    audit row, all in one open transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND objid = %s",
            [CHAIN_LOCK % 2**32],
        )
        return bool(cursor.fetchone()[0])


def _hold_the_chain() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [CHAIN_LOCK])


def _release_the_chain() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [CHAIN_LOCK])


def _counts() -> dict[str, int]:
    return {
        "premises": Premises.objects.count(),
        "certificates": Certificate.objects.count(),
        "records": ImmunizationRecord.objects.count(),
        "audit": AuditEvent.objects.count(),
        "outbox": OutboxEvent.objects.count(),
    }


def _killed_in_the_middle(send: Callable[[int], int]) -> None:
    """Send with ``send(port)`` to a server killed while the write waits for the chain."""
    port = _free_port()
    server = _server(port)
    try:
        _wait_up(port)
        _hold_the_chain()
        outcome: list[int] = []
        sender = threading.Thread(target=lambda: outcome.append(send(port)))
        sender.start()
        deadline = time.monotonic() + 240
        while not _waiting_on_the_chain():
            assert sender.is_alive(), f"answered {outcome} before reaching the audit chain"
            assert time.monotonic() < deadline, "the write never reached the audit chain"
            time.sleep(0.02)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        sender.join(timeout=60)
        assert outcome == [0]
    finally:
        _release_the_chain()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    # PostgreSQL rolls back the transaction of a client that went away.
    deadline = time.monotonic() + 30
    while _waiting_on_the_chain() and time.monotonic() < deadline:
        time.sleep(0.1)


def _drill(send: Callable[[int], int], again: Callable[[], int], grows: str, by: int) -> None:
    """``send`` to a server killed in the middle; then ``again`` (the same request, to this
    process's own application: no second server to start)."""
    before = _counts()
    _killed_in_the_middle(send)
    assert _counts() == before
    assert audit_chain_verify().ok
    assert again() == 201
    after = _counts()
    assert after[grows] == before[grows] + by
    assert after["audit"] > before["audit"] and after["outbox"] >= before["outbox"]
    assert audit_chain_verify().ok


def _again_json(token: str, path: str, body: dict[str, Any]) -> Callable[[], int]:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return lambda: client.post(path, body, content_type="application/json").status_code


def _post_json(port: int, token: str, path: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0  # the server died under it


def test_a_server_killed_in_the_middle_of_an_import_leaves_it_absent(
    county_officer: User,
) -> None:
    from bench.generate import premises_workbook

    content = premises_workbook(county="220102", rows=ROWS)
    raw = token_create(actor=None, user=county_officer, name="drill")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    def again() -> int:
        upload = SimpleUploadedFile("premises.xlsx", content)
        return client.post("/api/v1/premises/import", {"file": upload}).status_code

    _drill(lambda port: _upload(port, raw, content), again, "premises", ROWS)


def test_a_server_killed_in_the_middle_of_a_certificate_leaves_it_absent(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = declared()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    raw = token_create(actor=None, user=vet, name="drill")[1]
    body = {"declaration": declaration.number}
    path = "/api/v1/certificates"
    _drill(
        lambda port: _post_json(port, raw, path, body),
        _again_json(raw, path, body),
        "certificates",
        1,
    )


def test_a_server_killed_in_the_middle_of_a_vaccination_leaves_it_absent(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    raw = token_create(actor=None, user=stocked_vaccinator, name="drill")[1]
    body = {
        "premises": pig_farm.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B2026-01",
        "disinfection": "75%酒精浸泡消毒",
        "age": 30,
        "age_unit": "days",
        "seller": "吉林省动物疫病预防控制中心",
        "tags": f"{pig(1)}-{pig(20)}",
    }
    path = "/api/v1/immunizations"
    _drill(
        lambda port: _post_json(port, raw, path, body), _again_json(raw, path, body), "records", 1
    )
