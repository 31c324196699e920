"""The faulty rows of stored base-information uploads take the shape of every other row
report: ``{"ref", "field", "count", "problems"}`` instead of ``{"line", "field", "message"}``."""

from django.db import migrations


def _to_items(apps, schema_editor):
    BaseInfoSync = apps.get_model("farms", "BaseInfoSync")
    for sync in BaseInfoSync.objects.exclude(diff={}).iterator():
        errors = sync.diff.get("errors") or []
        if not any("message" in e for e in errors):
            continue
        sync.diff["errors"] = [
            {
                "ref": str(e.get("line", "")),
                "field": e.get("field", ""),
                "count": 0,
                "problems": [e.get("message", "")],
            }
            for e in errors
        ]
        sync.save(update_fields=["diff"])


class Migration(migrations.Migration):
    dependencies = [("farms", "0001_initial")]

    operations = [migrations.RunPython(_to_items, migrations.RunPython.noop)]
