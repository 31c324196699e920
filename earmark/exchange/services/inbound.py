"""What the platform holds for this province, read and stored: every province's published key,
the type A certificates coming here, and the alerts other provinces raised about ours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from earmark.movements.services.alerts import foreign_alerts_store
from earmark.quarantine.services.foreign import (
    foreign_certificates_store,
    province_keys_store,
)


@dataclass
class Pulled:
    keys: int = 0
    certificates: int = 0
    refused: int = 0
    alerts: int = 0


def pull(fetch: Callable[[str], dict[str, Any]]) -> Pulled:
    """Read what the platform holds for this province: every province's published key, the
    type A certificates issued elsewhere for animals coming here (kept if they verify), and the
    alerts other provinces raised about certificates issued here."""
    keys = province_keys_store(list(fetch("/keys").get("keys", [])))
    province = settings.EARMARK_PROVINCE_CODE
    certificates = foreign_certificates_store(
        list(fetch(f"/certificates?destination={province}").get("certificates", []))
    )
    alerts = foreign_alerts_store(list(fetch(f"/alerts?province={province}").get("alerts", [])))
    return Pulled(
        keys.stored,
        certificates.stored,
        keys.refused + certificates.refused + alerts.refused,
        alerts.stored,
    )
