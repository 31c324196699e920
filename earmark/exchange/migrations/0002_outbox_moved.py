"""The outbox now belongs to the audit app (``audit.0004_outbox``); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
        ("audit", "0004_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxEvent")],
            database_operations=[],
        ),
    ]
