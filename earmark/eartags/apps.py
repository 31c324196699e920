from __future__ import annotations

from django.apps import AppConfig


class EartagsConfig(AppConfig):
    name = "earmark.eartags"
    label = "eartags"
