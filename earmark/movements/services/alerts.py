"""Alerts: a problem found downstream, sent to the county that must act on it (art. 21), with
the certificate's trace attached, until an officer of that county acknowledges it. Another
province's alerts about certificates issued here come in through the national platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.validators import one_line
from earmark.movements.errors import ALERT_ALREADY_ACKNOWLEDGED
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate


def alert_raise(
    *,
    actor: User | None,
    kind: str,
    certificate: Certificate,
    message: str,
    extra: dict[str, object],
    county: str = "",
) -> Alert:
    """An alert to the origin county (or to ``county``), with the certificate's trace; runs in
    the caller's transaction."""
    trace = {
        "certificate": certificate.number,
        "origin_premises": certificate.premises.code,
        "origin_name": certificate.premises.name,
        "declaration": certificate.declaration.number,
        "issued_by": str(certificate.issued_by),
        "ranges": [str(r) for r in certificate.ranges.all()],
        **extra,
    }
    alert = Alert.objects.create(
        kind=kind,
        county_id=county or certificate.county_code,
        certificate=certificate,
        message=message[:500],
        trace=trace,
        raised_by=actor,
    )
    audit_record(
        actor=actor,
        action="alert.raise",
        obj=alert,
        region_code=alert.county_id,
        details={"kind": kind},
    )
    return alert


# What another province reports of a certificate issued here, as the platform hands it over
# (``alert.raised`` events), by the kind of the problem first named.
FOREIGN_KINDS = {
    "mismatch": Alert.Kind.MISMATCH,
    "late": Alert.Kind.LATE_ARRIVAL,
    "no_checkpoint": Alert.Kind.NO_CHECKPOINT,
}


@dataclass
class Received:
    stored: int = 0
    refused: int = 0


@transaction.atomic
def foreign_alerts_store(alerts: list[dict[str, Any]]) -> Received:
    """Alerts other provinces raised about certificates issued here, as the platform hands
    them over: each goes to the county whose certificate it concerns, once per event key; one
    about a certificate this province did not issue, or from this province, is refused."""
    own = settings.EARMARK_PROVINCE_CODE
    result = Received()
    for entry in alerts:
        key = str(entry.get("key", ""))[:64]
        given = entry.get("payload")
        payload: dict[str, Any] = given if isinstance(given, dict) else {}
        raising = str(payload.get("province", ""))
        listed = payload.get("problems")
        problems = [p for p in listed if p in FOREIGN_KINDS] if isinstance(listed, list) else []
        certificate = (
            Certificate.objects.select_related("premises", "declaration", "issued_by")
            .filter(number=str(payload.get("certificate", ""))[:20])
            .first()
        )
        if (
            not key
            or certificate is None
            or payload.get("origin_province") != own
            or not (len(raising) == 6 and raising.isdigit() and raising != own)
            or not problems
        ):
            result.refused += 1
            continue
        if Alert.objects.filter(external_key=key).exists():
            continue
        message = one_line(payload.get("message"), 500)
        alert = alert_raise(
            actor=None,
            kind=FOREIGN_KINDS[problems[0]],
            certificate=certificate,
            message=message or str(Alert.Kind(FOREIGN_KINDS[problems[0]]).label),
            extra={
                "from_province": raising,
                "problems": problems,
                "received_at": one_line(payload.get("premises"), 200),
                "arrived_at": one_line(payload.get("arrived_at"), 40),
                "missing": _ranges(payload.get("missing")),
                "extra": _ranges(payload.get("extra")),
            },
        )
        Alert.objects.filter(pk=alert.pk).update(from_province=raising, external_key=key)
        result.stored += 1
    return result


def _ranges(value: Any) -> list[list[int]]:
    """Number ranges as another system sent them, kept only if they are ranges of numbers."""
    if not isinstance(value, list):
        return []
    return [
        [int(r[0]), int(r[1])]
        for r in value[:100]
        if isinstance(r, list) and len(r) == 2 and all(isinstance(n, int) for n in r)
    ]


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, action_taken: str) -> Alert:
    require_region(actor, alert.county_id)
    require_role(actor, Role.COUNTY_OFFICER, Role.OFFICIAL_VET)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise BusinessError(code=ALERT_ALREADY_ACKNOWLEDGED)
    if not action_taken.strip():
        raise BusinessError(
            _("Say what was done."),
            code=INVALID_INPUT,
            fields={"action_taken": _("Say what was done.")},
        )
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.action_taken = action_taken.strip()[:500]
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "action_taken"])
    audit_record(actor=actor, action="alert.acknowledge", obj=alert, region_code=alert.county_id)
    return alert
