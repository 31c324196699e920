"""The Jilin plan's milestones (§3), dated in the year the system is installed; the province
edits them afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations

MILESTONES = [
    # key, title, measure, at least, share, month, day
    ("preparation", "准备阶段：场户核对与库存耳标登记完成", "prepared", 0, 100, 6, 30),
    ("first-enabled", "每个市州至少1个县启用新功能", "enabled", 1, 0, 7, 30),
    ("half-enabled", "每个市州50%的县启用新功能", "enabled", 0, 50, 9, 30),
    ("all-enabled", "全省所有县全部启用新功能", "enabled", 0, 100, 10, 30),
    ("acceptance", "总结验收：所有县完成验收", "accepted", 0, 100, 11, 30),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Milestone = apps.get_model("rollout", "Milestone")
    year = date.today().year
    for key, title, measure, at_least, share, month, day in MILESTONES:
        Milestone.objects.get_or_create(
            key=key,
            defaults={
                "title": title,
                "measure": measure,
                "at_least": at_least,
                "share": share,
                "due": date(year, month, day),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("rollout", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
