from __future__ import annotations

from django.apps import AppConfig


class RolloutConfig(AppConfig):
    name = "earmark.rollout"
    label = "rollout"
