"""``make bench``: time the operations whose volumes matter, on a fresh database.

SQLite by default (``var/bench.sqlite3``, rebuilt each run). To measure on PostgreSQL, set
BENCH_DATABASE_URL to a database that the run may drop and create again, e.g.
``postgresql://postgres@127.0.0.1:5432/earmark_bench``. Prints one table row per benchmark.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = ROOT / "var" / "bench.sqlite3"


def _setup() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        _recreate_postgres(url)
    else:
        BENCH_DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{BENCH_DB}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{BENCH_DB}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earmark.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", stdout=io.StringIO())
    return url.split(":", 1)[0]


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def bench_premises_import() -> tuple[str, int, float]:
    from bench.generate import premises_workbook
    from earmark.accounts.models import Agency, Role
    from earmark.accounts.services import agencies_seed, user_create
    from earmark.farms.excel import read_workbook
    from earmark.farms.imports import premises_import

    agencies_seed(actor=None)
    officer = user_create(
        actor=None,
        agency=Agency.objects.get(region_id="220113"),
        username="bench-county",
        password="bench-password-1",
        roles=[Role.COUNTY_OFFICER],
    )
    content = premises_workbook(county="220113", rows=10_000)
    started = time.perf_counter()
    rows = read_workbook(io.BytesIO(content))
    created = premises_import(actor=officer, rows=rows)
    elapsed = time.perf_counter() - started
    assert len(created) == 10_000
    return "import of a 10,000-row premises workbook", 10_000, elapsed


BENCHMARKS: list[Callable[[], tuple[str, int, float]]] = [bench_premises_import]


def main() -> None:
    database = _setup()
    print(f"database: {database}")
    print(f"{'benchmark':<48} {'items':>8} {'seconds':>9} {'items/s':>9}")
    for benchmark in BENCHMARKS:
        name, items, seconds = benchmark()
        print(f"{name:<48} {items:>8} {seconds:>9.2f} {items / seconds:>9.0f}")


if __name__ == "__main__":
    main()
