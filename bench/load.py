"""``make bench-http``: the app under gunicorn on PostgreSQL, loaded by locust (headless) for a
bounded time with the province's inventory (20 million numbers) and a tenth of a year's
movements (100,000 animals): tag traces, legitimacy checks, the premises list and the
dashboard. Writes requests per second and the 50th, 95th and 99th percentiles (ms) per
request to ``var/bench-http.json``.

BENCH_HTTP_DATABASE_URL names a PostgreSQL database the run may drop and create again
(default ``postgresql://postgres@127.0.0.1:5432/earmark_bench_http``); BENCH_HTTP_USERS and
BENCH_HTTP_SECONDS bound the load (default 8 users for 30 seconds); BENCH_HTTP_WORKERS the
gunicorn workers (default 2, one per core here).
"""

from __future__ import annotations

import csv
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/earmark_bench_http"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _data() -> dict[str, str]:
    """The database filled; what the simulated officials need to know."""
    from bench import run

    os.environ["BENCH_DATABASE_URL"] = os.environ.get("BENCH_HTTP_DATABASE_URL", DEFAULT_URL)
    run._setup()
    from bench.generate import province_movements
    from earmark.accounts.tokens import token_create
    from earmark.eartags.models import Tag
    from earmark.immunization.models import AnimalTag

    run.inventory()
    moved = province_movements(stage="tenth")
    officer = run._officer("bench-province", "220000", "province_admin")
    _token, raw = token_create(actor=officer, user=officer, name="bench-http")
    applied = list(
        Tag.objects.filter(township_code="220113102")
        .order_by("number")
        .values_list("number", flat=True)[:2000]
    )
    # Tags on animals of 九台区: their traces run through application, immunization and
    # the certificates they travelled under.
    traced = random.Random(3).sample(
        list(
            AnimalTag.objects.filter(animal__county_code="220113")
            .order_by("tag_id")
            .values_list("tag_id", flat=True)[:5000]
        ),
        200,
    )
    check = {
        "township": "220113102",
        "tags": " ".join(f"{n:015d}" for n in applied[::2][:1000]),
    }
    return {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "EARMARK_SIGNING_KEY": os.environ["EARMARK_SIGNING_KEY"],
        "BENCH_TOKEN": raw,
        "BENCH_USER": "bench-province",
        "BENCH_PASSWORD": "bench-password-1",
        "BENCH_TAGS": ",".join(f"{n:015d}" for n in [moved["tag"], *traced]),
        "BENCH_CHECK": json.dumps(check),
    }


def main() -> None:
    env = {**os.environ, **_data(), "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
        [
            str(BIN / "gunicorn"),
            "earmark.wsgi",
            "--workers",
            os.environ.get("BENCH_HTTP_WORKERS", "2"),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    host = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/login/", timeout=2)  # noqa: S310 - local
                break
            except OSError:
                time.sleep(0.2)
        prefix = ROOT / "var" / "bench-http"
        subprocess.run(  # noqa: S603 - our own virtualenv's locust
            [
                str(BIN / "locust"),
                "--locustfile",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                os.environ.get("BENCH_HTTP_USERS", "8"),
                "--spawn-rate",
                "8",
                "--run-time",
                f"{os.environ.get('BENCH_HTTP_SECONDS', '30')}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] in ("login", "Aggregated"):
                continue
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "per_s": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    result = {
        "workers": int(os.environ.get("BENCH_HTTP_WORKERS", "2")),
        "users": int(os.environ.get("BENCH_HTTP_USERS", "8")),
        "seconds": int(os.environ.get("BENCH_HTTP_SECONDS", "30")),
        "requests": figures,
    }
    out = ROOT / "var" / "bench-http.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    failed = {name: f["failures"] for name, f in figures.items() if f["failures"]}
    if failed:
        raise SystemExit(f"failed requests: {failed}")


if __name__ == "__main__":
    main()
