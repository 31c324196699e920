from __future__ import annotations

from django.apps import AppConfig


class ImmunizationConfig(AppConfig):
    name = "earmark.immunization"
    label = "immunization"
