"""A stand-in for the national traceability platform, shipped for demos and tests.

``POST /events`` takes a batch ``{"events": [{"key", "type", "aggregate", "occurred_at",
"payload"}, ...]}`` and stores each event once per idempotency key, in the order received
(then, with ``latency``, takes its time to answer);
``GET /events?aggregate=&type=`` answers what was stored; ``GET /stats`` counts requests and
duplicates. It serves several provinces at once, as the platform does: ``GET /keys`` answers
every province's published certificate-signing key (the ``signing_key.published`` events), and
``GET /certificates?destination=230000`` the type A certificates other provinces issued for
animals going to that province (the ``certificate.issued`` events), each with ``revoked_at``
and ``revoked_reason`` once its province revoked it (``certificate.revoked``), and
``GET /alerts?province=220000`` the alerts other provinces raised about that province's
certificates (``alert.raised``), each with its event key, and ``GET /receipts?province=220000``
their receipts of its certificates (``foreign_certificate.received``); ``GET /trace-requests``
and ``GET /trace-answers?province=`` the investigations' questions to it and answers to its own
(``trace.requested``, ``trace.answered``). It fails on demand: a
share of requests at random (``fail_rate``), or every
request until a moment (``down_until``), both also settable at run time with
``POST /control``. Stored events are kept in memory and, with ``store``, appended to a JSON
Lines file that is read back on start."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Platform:
    fail_rate: float = 0.0
    # Seconds each accepted request takes after storing, like a slow platform.
    latency: float = 0.0
    down_until: datetime | None = None
    token: str = ""
    store: Path | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    # The last signed audit checkpoint each delivery carried.
    checkpoint: str = ""
    requests: int = 0
    failures: int = 0
    duplicates: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Failures on demand, not secrets: a seeded generator makes runs repeatable.
    rng: random.Random = field(default_factory=lambda: random.Random(7))  # noqa: S311

    def load(self) -> None:
        if self.store and self.store.exists():
            for line in self.store.read_text(encoding="utf-8").splitlines():
                event = json.loads(line)
                self.events.append(event)
                self.keys.add(event["key"])

    def failing(self) -> bool:
        if self.down_until is not None and datetime.now() < self.down_until:
            return True
        return self.rng.random() < self.fail_rate

    def receive(self, batch: list[dict[str, Any]]) -> list[str]:
        stored = []
        with self.lock:
            for event in batch:
                if event["key"] in self.keys:
                    self.duplicates += 1
                    continue
                self.keys.add(event["key"])
                self.events.append(event)
                stored.append(event["key"])
                if self.store:
                    with self.store.open("a", encoding="utf-8") as file:
                        file.write(json.dumps(event, ensure_ascii=False) + "\n")
        return stored


def _with_revocation(
    certificate: dict[str, Any], revoked: dict[tuple[str, Any], dict[str, Any]]
) -> dict[str, Any]:
    revocation = revoked.get((str(certificate.get("province", "")), certificate.get("number")))
    if revocation is None:
        return certificate
    return {
        **certificate,
        "revoked_at": revocation.get("revoked_at"),
        "revoked_reason": revocation.get("reason", ""),
        # What the receiving province believes: the revocation as its issuer signed it.
        "revocation": revocation.get("signed", ""),
    }


def handler_for(platform: Platform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: Any) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # A worker that died waiting will send the batch again.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/events":
                with platform.lock:
                    found = [
                        e
                        for e in platform.events
                        if all(
                            e.get(k) == v for k, v in query.items() if k in ("aggregate", "type")
                        )
                    ]
                self._answer(HTTPStatus.OK, {"count": len(found), "events": found})
            elif url.path == "/stats":
                with platform.lock:
                    self._answer(
                        HTTPStatus.OK,
                        {
                            "stored": len(platform.events),
                            "requests": platform.requests,
                            "failures": platform.failures,
                            "duplicates": platform.duplicates,
                            "audit_checkpoint": platform.checkpoint,
                        },
                    )
            elif url.path == "/keys":
                with platform.lock:
                    keys = [
                        e["payload"]
                        for e in platform.events
                        if e.get("type") == "signing_key.published"
                    ]
                self._answer(HTTPStatus.OK, {"keys": keys})
            elif url.path == "/certificates":
                wanted = query.get("destination", "")[:2]
                with platform.lock:
                    # A revocation counts only from the province that issued the certificate.
                    revoked = {
                        (str(e["payload"].get("province", "")), e["payload"].get("number")): e[
                            "payload"
                        ]
                        for e in platform.events
                        if e.get("type") == "certificate.revoked"
                    }
                    found = [
                        _with_revocation(e["payload"], revoked)
                        for e in platform.events
                        if e.get("type") == "certificate.issued"
                        and e["payload"].get("kind") == "A"
                        and wanted
                        and str(e["payload"].get("destination_province", ""))[:2] == wanted
                        and str(e["payload"].get("province", ""))[:2] != wanted
                    ]
                self._answer(HTTPStatus.OK, {"certificates": found})
            elif url.path == "/alerts":
                # Alerts other provinces raised about this province's certificates.
                wanted = query.get("province", "")
                with platform.lock:
                    alerts = [
                        {"key": e["key"], "payload": e["payload"]}
                        for e in platform.events
                        if e.get("type") == "alert.raised"
                        and wanted
                        and e["payload"].get("origin_province") == wanted
                    ]
                self._answer(HTTPStatus.OK, {"alerts": alerts})
            elif url.path == "/receipts":
                # Receipts other provinces reported of that province's certificates.
                wanted = query.get("province", "")
                with platform.lock:
                    receipts = [
                        {"key": e["key"], "payload": e["payload"]}
                        for e in platform.events
                        if e.get("type") == "foreign_certificate.received"
                        and wanted
                        and e["payload"].get("province") == wanted
                    ]
                self._answer(HTTPStatus.OK, {"receipts": receipts})
            elif url.path in ("/trace-requests", "/trace-answers"):
                # Investigations' questions to a province, and the answers to its own.
                wanted = query.get("province", "")
                kind = "trace.requested" if url.path == "/trace-requests" else "trace.answered"
                with platform.lock:
                    found = [
                        {"key": e["key"], "payload": e["payload"]}
                        for e in platform.events
                        if e.get("type") == kind and wanted and e["payload"].get("to") == wanted
                    ]
                name = "requests" if kind == "trace.requested" else "answers"
                self._answer(HTTPStatus.OK, {name: found})
            elif url.path == "/health":
                self._answer(HTTPStatus.OK, {"ok": True})
            else:
                self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})

        def do_POST(self) -> None:
            url = urlparse(self.path)
            if platform.token and self.headers.get("Authorization") != f"Bearer {platform.token}":
                with platform.lock:
                    platform.requests += 1
                self._answer(HTTPStatus.UNAUTHORIZED, {"error": "bad credentials"})
                return
            if url.path == "/control":
                body = self._body()
                with platform.lock:
                    if "fail_rate" in body:
                        platform.fail_rate = float(body["fail_rate"])
                    if "down_until" in body:
                        until = body["down_until"]
                        platform.down_until = datetime.fromisoformat(until) if until else None
                self._answer(HTTPStatus.OK, {"ok": True})
                return
            if url.path != "/events":
                self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
            with platform.lock:
                platform.requests += 1
            if platform.failing():
                with platform.lock:
                    platform.failures += 1
                self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "unavailable"})
                return
            try:
                body = self._body()
                batch = body["events"]
                assert isinstance(batch, list)
                assert all(isinstance(e, dict) and e.get("key") for e in batch)
            except (ValueError, KeyError, AssertionError):
                self._answer(HTTPStatus.BAD_REQUEST, {"error": "expected {events: [...]}"})
                return
            stored = platform.receive(batch)
            checkpoint = body.get("audit_checkpoint")
            if isinstance(checkpoint, str):
                with platform.lock:
                    platform.checkpoint = checkpoint
            if platform.latency:
                time.sleep(platform.latency)
            self._answer(HTTPStatus.OK, {"received": len(batch), "stored": len(stored)})

    return Handler


def serve(platform: Platform, host: str, port: int) -> ThreadingHTTPServer:
    """A server ready to ``serve_forever`` (port 0 picks a free one)."""
    platform.load()
    return ThreadingHTTPServer((host, port), handler_for(platform))
