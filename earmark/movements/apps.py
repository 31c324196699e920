from __future__ import annotations

from django.apps import AppConfig


class MovementsConfig(AppConfig):
    name = "earmark.movements"
    label = "movements"
