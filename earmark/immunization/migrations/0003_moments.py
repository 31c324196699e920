"""The moment of tagging and of each vaccination session, not only its date. Rows recorded
before this change get the end of their day, or the time they were recorded if earlier."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def _moment(day, recorded):
    end = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return min(end, recorded) if recorded is not None else end


def fill(apps, schema_editor):
    ImmunizationRecord = apps.get_model("immunization", "ImmunizationRecord")
    AnimalTag = apps.get_model("immunization", "AnimalTag")
    for record in ImmunizationRecord.objects.filter(vaccinated_at__isnull=True).iterator():
        record.vaccinated_at = _moment(record.vaccinated_on, record.created_at)
        record.save(update_fields=["vaccinated_at"])
    for application in AnimalTag.objects.filter(applied_at__isnull=True).select_related("tag"):
        application.applied_at = _moment(application.applied_on, application.tag.updated_at)
        application.save(update_fields=["applied_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("immunization", "0002_jilin_defaults"),
        ("eartags", "0003_alter_holding_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="animaltag",
            name="applied_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="immunizationrecord",
            name="vaccinated_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="animaltag",
            name="applied_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="immunizationrecord",
            name="vaccinated_at",
            field=models.DateTimeField(),
        ),
    ]
