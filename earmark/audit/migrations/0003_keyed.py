"""Rows written from now on are hashed with the audit key; the rows before stay plain SHA-256
(``keyed`` false). SQLite rebuilds the table to add a column, which drops its triggers: they
are taken off first and put back last."""

from django.db import migrations, models

from earmark.core import append_only


def triggers_off(apps, schema_editor):
    append_only.remove(schema_editor.connection, "audit_auditevent")


def triggers_on(apps, schema_editor):
    append_only.install(schema_editor.connection, "audit_auditevent")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(triggers_off, triggers_on),
        migrations.AddField(
            model_name="auditevent",
            name="keyed",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="keyed",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(triggers_on, triggers_off),
    ]
