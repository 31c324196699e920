"""``make exchange-demo``: the outbox reaches the national platform exactly once, in order,
through an outage, a worker killed mid-run and two workers at once.

It uses the demo database (run ``make run`` once first, or set DATABASE_URL), starts the
platform simulator down for a while, starts a worker, kills it with SIGKILL, starts two more,
brings the platform up, waits until the outbox is empty, then checks what the platform holds
against the outbox: every event once, and each aggregate's events in the order written.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EARMARK = [str(ROOT / ".venv" / "bin" / "earmark")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local simulator
        return json.loads(response.read())  # type: ignore[no-any-return]


def refused_without_token(url: str) -> int:
    """What the platform answers an event sent without its token."""
    request = urllib.request.Request(  # noqa: S310 - local simulator
        f"{url}/events",
        data=json.dumps({"events": [{"key": "no-token"}]}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earmark.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from earmark.audit.models import OutboxEvent

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The platform takes events only from a holder of its token.
    token = secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "EARMARK_NATIONAL_URL": url,
        "EARMARK_NATIONAL_TOKEN": token,
        "EARMARK_EXCHANGE_BACKOFF": "1",
        "EARMARK_EXCHANGE_BACKOFF_MAX": "2",
        "EARMARK_EXCHANGE_MAX_ATTEMPTS": "1000",
        "EARMARK_EXCHANGE_BATCH": "3",
    }
    OutboxEvent.objects.update(status="pending", attempts=0, delivered_at=None)
    total = OutboxEvent.objects.count()
    print(f"outbox: {total} events to deliver")
    down_until = (datetime.now() + timedelta(seconds=6)).isoformat()
    simulator = subprocess.Popen(  # noqa: S603
        [
            *EARMARK,
            "national_sim",
            "--port",
            str(port),
            "--down-until",
            down_until,
            "--latency",
            "0.1",
            "--token",
            token,
        ],
        env=env,
    )
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(50):
            try:
                get(f"{url}/health")
                break
            except OSError:
                time.sleep(0.2)
        if refused_without_token(url) != 401:
            print("FAILED: the platform took events without its token")
            return 1
        print("platform down for 6 s; starting a worker")
        first = subprocess.Popen([*EARMARK, "exchange_worker", "--sleep", "0.5"], env=env)  # noqa: S603
        time.sleep(8.05)
        delivered = OutboxEvent.objects.filter(status="delivered").count()
        print(f"{delivered} delivered so far; killing the worker (pid {first.pid}) with SIGKILL")
        first.send_signal(signal.SIGKILL)
        first.wait()
        print("starting two workers at once")
        workers = [
            subprocess.Popen([*EARMARK, "exchange_worker", "--sleep", "0.5"], env=env)  # noqa: S603
            for _ in range(2)
        ]
        deadline = time.monotonic() + 300
        while OutboxEvent.objects.exclude(status="delivered").exists():
            if time.monotonic() > deadline:
                print("timed out waiting for delivery")
                return 1
            time.sleep(1)
        stats = get(f"{url}/stats")
        stored = get(f"{url}/events")["events"]
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()
        simulator.terminate()
        simulator.wait()
    keys = [e["key"] for e in stored]
    problems = []
    if len(keys) != len(set(keys)):
        problems.append("an event was stored twice")
    if set(keys) != {str(k) for k in OutboxEvent.objects.values_list("key", flat=True)}:
        problems.append("the platform and the outbox differ")
    for aggregate in set(OutboxEvent.objects.values_list("aggregate", flat=True)):
        sent = [e["key"] for e in stored if e["aggregate"] == aggregate]
        written = [
            str(k)
            for k in OutboxEvent.objects.filter(aggregate=aggregate)
            .order_by("id")
            .values_list("key", flat=True)
        ]
        if sent != written:
            problems.append(f"{aggregate} arrived out of order")
    print(
        f"platform: {stats['stored']} stored of {total}; {stats['requests']} requests, "
        f"{stats['failures']} refused while down, {stats['duplicates']} resends recognised "
        "by their idempotency key"
    )
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("every event arrived exactly once, in order per aggregate")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
