"""The species the system follows: pigs, cattle, sheep and goats."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Species(models.TextChoices):
    PIG = "pig", _("Pig")
    CATTLE = "cattle", _("Cattle")
    SHEEP = "sheep", _("Sheep/goat")
