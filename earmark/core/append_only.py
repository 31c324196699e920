"""Database triggers that refuse to change or remove the rows of append-only tables (the
audit log, the tag-event log).

A person with direct database access who drops them can still edit rows; the audit log's hash
chain then shows the edit (``earmark audit_verify``).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

# Every append-only table, for tests that must empty the database between runs.
TABLES = ["audit_auditevent", "eartags_tagevent"]


def _sqlite(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{action}
            BEFORE {action.upper()} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        for action in ("update", "delete")
    ]


def _postgres(table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_refuse()""",
        f"""CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse()""",
    ]


def _names(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [f"{table}_no_update", f"{table}_no_delete"]
    if vendor == "postgresql":
        return [f"{table}_append_only", f"{table}_no_truncate"]
    return []


def install(connection: BaseDatabaseWrapper, table: str) -> None:
    statements = {"sqlite": _sqlite, "postgresql": _postgres}.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for statement in statements(table):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper, table: str) -> None:
    with connection.cursor() as cursor:
        for name in _names(connection.vendor, table):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {table}_refuse()")


def installed(connection: BaseDatabaseWrapper, table: str) -> bool:
    names = _names(connection.vendor, table)
    if not names:
        return True
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
                names,
            )
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s)", names)
        row = cursor.fetchone()
        return bool(row and row[0] == len(names))
