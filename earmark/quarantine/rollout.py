"""Whether a county has the new functions switched on. Until the rollout module manages the
switches, they come from the EARMARK_ENABLED_COUNTIES setting."""

from __future__ import annotations

from django.conf import settings


def county_enabled(county_code: str) -> bool:
    enabled = settings.EARMARK_ENABLED_COUNTIES
    return "*" in enabled or county_code in enabled
