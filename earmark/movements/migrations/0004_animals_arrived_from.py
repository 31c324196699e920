"""Animals that arrived before the field existed get the county their certificate came from."""

from django.db import migrations


def fill(apps, schema_editor):
    Receipt = apps.get_model("movements", "Receipt")
    AnimalTag = apps.get_model("immunization", "AnimalTag")
    Animal = apps.get_model("immunization", "Animal")
    arrivals = Receipt.objects.filter(kind="arrival").select_related("certificate")
    for receipt in arrivals.order_by("arrived_at", "id").iterator():
        for first, last in receipt.received:
            animal_ids = AnimalTag.objects.filter(tag_id__gte=first, tag_id__lte=last).values(
                "animal_id"
            )
            Animal.objects.filter(pk__in=animal_ids).update(
                arrived_from=receipt.certificate.county_code
            )


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0003_alter_alert_kind"),
        ("immunization", "0004_animal_arrived_from"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
