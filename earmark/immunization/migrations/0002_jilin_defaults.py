from __future__ import annotations

from django.db import migrations

from earmark.immunization import defaults


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    defaults.load(
        apps.get_model("immunization", "Disease"),
        apps.get_model("immunization", "CompulsoryDisease"),
        apps.get_model("immunization", "Vaccine"),
    )


class Migration(migrations.Migration):
    dependencies = [("immunization", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
