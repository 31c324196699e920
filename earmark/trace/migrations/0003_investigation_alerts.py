# The link between an investigation and its alerts moves to the investigation's side (trace sits
# above movements): the alerts each investigation sent are copied over, then the alert's own
# foreign key is dropped (movements 0010).

from django.db import migrations, models


def copy_links(apps, schema_editor):
    Alert = apps.get_model("movements", "Alert")
    Link = apps.get_model("trace", "Investigation").alerts.through
    Link.objects.bulk_create(
        Link(investigation_id=investigation_id, alert_id=alert_id)
        for alert_id, investigation_id in Alert.objects.filter(
            investigation__isnull=False
        ).values_list("id", "investigation_id")
    )


def copy_back(apps, schema_editor):
    Alert = apps.get_model("movements", "Alert")
    Link = apps.get_model("trace", "Investigation").alerts.through
    for link in Link.objects.all():
        Alert.objects.filter(pk=link.alert_id).update(investigation_id=link.investigation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0010_alert_investigation_unnamed"),
        ("trace", "0002_cases"),
    ]

    operations = [
        migrations.AddField(
            model_name="investigation",
            name="alerts",
            field=models.ManyToManyField(
                blank=True, related_name="investigations", to="movements.alert"
            ),
        ),
        migrations.RunPython(copy_links, copy_back),
    ]
