"""The species the system follows: pigs, cattle, sheep and goats."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Species(models.TextChoices):
    PIG = "pig", _("Pig")
    CATTLE = "cattle", _("Cattle")
    SHEEP = "sheep", _("Sheep/goat")


# Words people write in sheets besides the labels.
_SYNONYMS = {
    "生猪": "pig",
    "母猪": "pig",
    "肉牛": "cattle",
    "奶牛": "cattle",
    "山羊": "sheep",
    "绵羊": "sheep",
    "goat": "sheep",
}


def species_from_text(text: str) -> str | None:
    """The species a cell or a field names, in Chinese or English; None if none."""
    wanted = text.strip().lower()
    if wanted in Species.values:
        return wanted
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in Species.choices:
                if wanted == str(label).lower():
                    return value
    return _SYNONYMS.get(wanted)
