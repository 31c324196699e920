"""The outbox moves from the exchange app to sit low beside the audit log (services of every
app write it). Only Django's state moves: the table and its rows stay where they are."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_keyed"),
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("event_type", models.CharField(max_length=40)),
                        ("aggregate", models.CharField(max_length=60)),
                        ("payload", models.JSONField()),
                        ("occurred_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("delivered", "Delivered"),
                                    ("dead", "Dead letter"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField(auto_now_add=True)),
                        ("last_error", models.CharField(blank=True, max_length=500)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "exchange_outboxevent",
                        "ordering": ["id"],
                        "indexes": [
                            models.Index(
                                fields=["status", "next_attempt_at"],
                                name="exchange_ou_status_c0478a_idx",
                            ),
                            models.Index(
                                fields=["aggregate", "id"], name="exchange_ou_aggrega_d4610e_idx"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
