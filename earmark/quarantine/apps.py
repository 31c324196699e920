from __future__ import annotations

from django.apps import AppConfig


class QuarantineConfig(AppConfig):
    name = "earmark.quarantine"
    label = "quarantine"
