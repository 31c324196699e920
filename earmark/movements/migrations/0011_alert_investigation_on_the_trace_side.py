# The investigation an alert came from is kept by the investigation (trace 0003 copied it).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0010_alert_investigation_unnamed"),
        ("trace", "0003_investigation_alerts"),
    ]

    operations = [
        migrations.RemoveField(model_name="alert", name="investigation"),
    ]
