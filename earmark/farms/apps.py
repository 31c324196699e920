from __future__ import annotations

from django.apps import AppConfig


class FarmsConfig(AppConfig):
    name = "earmark.farms"
    label = "farms"
