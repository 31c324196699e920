"""Database triggers that refuse to change or remove audit events.

A person with direct database access who drops them can still edit rows, but the hash chain
then shows the edit (``earmark audit_verify``).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TRIGGERS = {
    "sqlite": ["audit_auditevent_no_update", "audit_auditevent_no_delete"],
    "postgresql": ["audit_auditevent_append_only", "audit_auditevent_no_truncate"],
}
INSTALL = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update
           BEFORE UPDATE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete
           BEFORE DELETE ON audit_auditevent
           BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_auditevent_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE TRIGGER audit_auditevent_append_only
           BEFORE UPDATE OR DELETE ON audit_auditevent
           FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()""",
        """CREATE OR REPLACE TRIGGER audit_auditevent_no_truncate
           BEFORE TRUNCATE ON audit_auditevent
           FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse()""",
    ],
}
REMOVE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS["sqlite"]],
    "postgresql": [
        *(f"DROP TRIGGER IF EXISTS {name} ON audit_auditevent" for name in TRIGGERS["postgresql"]),
        "DROP FUNCTION IF EXISTS audit_auditevent_refuse()",
    ],
}


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in INSTALL.get(connection.vendor, []):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in REMOVE.get(connection.vendor, []):
            cursor.execute(statement)


def installed(connection: BaseDatabaseWrapper) -> bool:
    names = TRIGGERS.get(connection.vendor, [])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)",
                names,
            )
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s)", names)
        else:
            return True
        return bool(cursor.fetchone()[0] == len(names))
