"""Run the whole suite on SQLite and on PostgreSQL (when one is reachable), both at once.

PostgreSQL is TEST_POSTGRES_URL, or the server on 127.0.0.1:5432. With CI=true the
PostgreSQL run is mandatory and browser tests must not be skipped.
Extra arguments are passed to pytest (e.g. ``make test ARGS="-k audit"``).

Each run is one pytest process on one core, with its own test database, port numbers and
screenshot names, so on a machine of two cores or more they run side by side, each writing to
its own log under ``var/``, printed when both are done. ``TESTS_ONE_AT_A_TIME=1`` runs them in
turn with the output as it comes.
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


def forget_stale_databases(url: str) -> None:
    """Drop the test, fuzz and two-province databases of runs that were killed before they
    could: each is named after its process (``test_postgres_4242``), so one whose process is
    gone is left over, and one whose process runs belongs to another run on this machine."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=3) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT datname FROM pg_database "
                r"WHERE datname ~ '^(test_.+|earmark_fuzz|earmark_2p_..)_[0-9]+$'"
            )
        ]
        for name in names:
            pid = int(name.rsplit("_", 1)[1])
            if not Path(f"/proc/{pid}").exists():
                print(f"dropping {name}, left by a run that was stopped", flush=True)
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start(
    label: str, database_url: str, args: list[str], log: Path | None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "EARMARK_TEST_DATABASE": label}
    output = log.open("wb") if log else None
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "pytest", "--durations=10", *args],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )


def main() -> int:
    args = sys.argv[1:]
    ci = os.environ.get("CI", "").lower() == "true"
    together = os.environ.get("TESTS_ONE_AT_A_TIME", "") != "1" and (os.cpu_count() or 1) > 1
    databases = {"SQLite": f"sqlite:///{ROOT / 'var' / 'test.sqlite3'}"}
    url = postgres_url()
    if url:
        forget_stale_databases(url)
        databases["PostgreSQL"] = url
    elif ci:
        print("CI=true requires the PostgreSQL run, and no PostgreSQL answered.", flush=True)
    else:
        print("Skipping the PostgreSQL run: no server (set TEST_POSTGRES_URL).", flush=True)
    (ROOT / "var").mkdir(exist_ok=True)
    results: dict[str, int] = {}
    if together:
        logs = {label: ROOT / "var" / f"test-{label.lower()}.log" for label in databases}
        print(f"running on {' and '.join(databases)} at once", flush=True)
        runs = {label: start(label, db, args, logs[label]) for label, db in databases.items()}
        for label, run in runs.items():
            results[label] = run.wait()
        for label, log in logs.items():
            print(f"\n===== test run on {label} =====", flush=True)
            sys.stdout.write(log.read_text(encoding="utf-8", errors="replace"))
    else:
        for label, db in databases.items():
            print(f"\n===== test run on {label} =====", flush=True)
            results[label] = start(label, db, args, None).wait()
    if ci and "PostgreSQL" not in databases:
        results["PostgreSQL"] = 1
    print("\n===== summary =====")
    for label, code in results.items():
        print(f"{label}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
