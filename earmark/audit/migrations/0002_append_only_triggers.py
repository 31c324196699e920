from __future__ import annotations

from django.db import migrations

from earmark.core import append_only


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only.install(schema_editor.connection, "audit_auditevent")


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only.remove(schema_editor.connection, "audit_auditevent")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
