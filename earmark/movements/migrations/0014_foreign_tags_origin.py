"""Tags received from another province before #30 lacked the province that registered them: it
is the province of the certificate they arrived under."""

from django.db import migrations


def origin_of_received_tags(apps, schema_editor):
    ForeignReceipt = apps.get_model("movements", "ForeignReceipt")
    Tag = apps.get_model("eartags", "Tag")
    for receipt in ForeignReceipt.objects.select_related("certificate"):
        for first, last in receipt.received:
            Tag.objects.filter(
                number__gte=first, number__lte=last, registered_range__isnull=True
            ).update(origin_province=receipt.certificate.province)


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0013_foreign_slaughter"),
        ("eartags", "0008_tag_origin_province"),
    ]

    operations = [migrations.RunPython(origin_of_received_tags, migrations.RunPython.noop)]
