"""When a county was switched on becomes a fact of its region (``regions.0002``), so that the
apps checking the county gate need not know about the rollout."""

from django.db import migrations


def to_region(apps, schema_editor):
    CountyRollout = apps.get_model("rollout", "CountyRollout")
    Region = apps.get_model("regions", "Region")
    for decision in CountyRollout.objects.exclude(enabled_at=None):
        Region.objects.filter(code=decision.county_id).update(enabled_at=decision.enabled_at)


def to_rollout(apps, schema_editor):
    CountyRollout = apps.get_model("rollout", "CountyRollout")
    Region = apps.get_model("regions", "Region")
    for region in Region.objects.exclude(enabled_at=None):
        CountyRollout.objects.filter(county_id=region.code).update(enabled_at=region.enabled_at)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_region_enabled_at"),
        ("rollout", "0002_jilin_milestones"),
    ]

    operations = [
        migrations.RunPython(to_region, to_rollout),
        migrations.RemoveField(model_name="countyrollout", name="enabled_at"),
    ]
