"""Guards the database keeps by itself: the tag-event log is append-only, and on PostgreSQL no
two registered ranges, and no two holdings, share a number (exclusion constraints)."""

from __future__ import annotations

from django.db import migrations

from earmark.core import append_only

EXCLUSIONS = {
    "eartags_registeredrange": "registered_range_no_overlap",
    "eartags_holding": "holding_no_overlap",
}


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only.install(schema_editor.connection, "eartags_tagevent")
    if schema_editor.connection.vendor == "postgresql":
        for table, name in EXCLUSIONS.items():
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                "EXCLUDE USING gist (int8range(first, last, '[]') WITH &&)"
            )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only.remove(schema_editor.connection, "eartags_tagevent")
    if schema_editor.connection.vendor == "postgresql":
        for table, name in EXCLUSIONS.items():
            schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("eartags", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
