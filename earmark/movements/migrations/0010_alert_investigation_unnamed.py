# The alert's own link to its investigation gives up the name ``alerts`` on the investigation,
# which trace 0003 gives to the link kept on the investigation's side.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0009_alerts_from_other_provinces"),
        ("trace", "0002_cases"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="investigation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="trace.investigation",
            ),
        ),
    ]
