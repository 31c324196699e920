"""Run the whole suite on SQLite, then again on PostgreSQL when one is reachable.

PostgreSQL is TEST_POSTGRES_URL, or the server on 127.0.0.1:5432. With CI=true the
PostgreSQL run is mandatory and browser tests must not be skipped.
Extra arguments are passed to pytest (e.g. ``make test ARGS="-k audit"``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return url
    except Exception as error:
        print(f"PostgreSQL not reachable at {url}: {error}", flush=True)
        return None


def run(label: str, database_url: str, args: list[str]) -> int:
    print(f"\n===== test run on {label} =====", flush=True)
    env = {**os.environ, "DATABASE_URL": database_url, "EARMARK_TEST_DATABASE": label}
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)  # noqa: S603


def main() -> int:
    args = sys.argv[1:]
    ci = os.environ.get("CI", "").lower() == "true"
    results = {"SQLite": run("SQLite", f"sqlite:///{ROOT / 'var' / 'test.sqlite3'}", args)}
    url = postgres_url()
    if url:
        results["PostgreSQL"] = run("PostgreSQL", url, args)
    elif ci:
        print("CI=true requires the PostgreSQL run, and no PostgreSQL answered.", flush=True)
        results["PostgreSQL"] = 1
    else:
        print("Skipping the PostgreSQL run: no server (set TEST_POSTGRES_URL).", flush=True)
    print("\n===== summary =====")
    for label, code in results.items():
        print(f"{label}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
