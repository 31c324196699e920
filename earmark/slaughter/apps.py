from __future__ import annotations

from django.apps import AppConfig


class SlaughterConfig(AppConfig):
    name = "earmark.slaughter"
    label = "slaughter"
