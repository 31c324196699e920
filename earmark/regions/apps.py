from __future__ import annotations

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "earmark.regions"
    label = "regions"
