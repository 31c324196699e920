"""Alerts: a problem found downstream, sent to the county that must act on it (art. 21), with
the certificate's trace attached, until an officer of that county acknowledges it. Another
province's alerts about certificates issued here come in through the national platform."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.inbound import Reason, Refusal, Taken, moment, tag_ranges, take_each, words
from earmark.core.validators import one_line
from earmark.movements.errors import ALERT_ALREADY_ACKNOWLEDGED
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.foreign import signer_of


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


def foreign_alerts_store(entries: Any) -> Taken:
    """Alerts other provinces raised about certificates issued here, as the platform hands
    them over: each goes to the county whose certificate it concerns, once per event key.
    Believed only as signed by a trusted key of the province the certificate was sent to."""
    return take_each("alert", entries, _alert_take)


def _alert_take(entry: dict[str, Any], _result: Taken) -> bool:
    key = entry.get("key")
    if not isinstance(key, str) or not 0 < len(key) <= 64:
        raise Refusal(Reason.OUT_OF_BOUNDS, "key")
    given = entry.get("payload")
    if not isinstance(given, dict):
        raise Refusal(Reason.UNREADABLE, "payload", reference=key)
    signed = given.get("signed")
    if not isinstance(signed, str):
        raise Refusal(Reason.UNREADABLE, "signed", reference=key)
    signer = signer_of(signed)
    fields = signing.payload_fields(signed)
    number = str(fields.get("c", ""))[:20]
    reference: dict[str, Any] = {"reference": number, "province": signer.province}
    if fields.get("p") != signer.province or given.get("province") not in (None, signer.province):
        raise Refusal(Reason.UNSIGNED_DISAGREES, "province", **reference)
    certificate = (
        Certificate.objects.select_related("premises", "declaration", "issued_by")
        .filter(number=number)
        .first()
    )
    if certificate is None:
        raise Refusal(Reason.UNKNOWN_CERTIFICATE, number, **reference)
    # The province the certificate sent its animals to, and no other, reports on their arrival.
    if certificate.destination_province[:2] != signer.province[:2]:
        raise Refusal(Reason.NOT_A_PARTY, signer.province, **reference)
    listed = fields.get("pr")
    if not isinstance(listed, list) or not listed or len(listed) > len(FOREIGN_KINDS):
        raise Refusal(Reason.OUT_OF_BOUNDS, "pr", **reference)
    problems = [p for p in listed if isinstance(p, str) and p in FOREIGN_KINDS]
    if len(problems) != len(listed):
        raise Refusal(Reason.OUT_OF_BOUNDS, "pr", **reference)
    if Alert.objects.filter(external_key=key).exists():
        return False
    message = words(fields.get("m"), 500)
    alert = alert_raise(
        actor=None,
        kind=FOREIGN_KINDS[problems[0]],
        certificate=certificate,
        message=message or str(Alert.Kind(FOREIGN_KINDS[problems[0]]).label),
        extra={
            "from_province": signer.province,
            "problems": problems,
            "received_at": one_line(
                fields.get("pm") if isinstance(fields.get("pm"), str) else "", 200
            ),
            "arrived_at": moment(fields.get("at"), "at").isoformat(),
            "missing": tag_ranges(fields.get("mi"), "mi"),
            "extra": tag_ranges(fields.get("ex"), "ex"),
        },
    )
    Alert.objects.filter(pk=alert.pk).update(from_province=signer.province, external_key=key)
    return True


def province_alert_raise(*, kind: str, message: str, extra: dict[str, object]) -> Alert:
    """An alert to the province administrator, about no certificate (what the platform handed
    over and the exchange set aside)."""
    alert = Alert.objects.create(
        kind=kind,
        county_id=settings.EARMARK_PROVINCE_CODE,
        message=message[:500],
        trace=extra,
    )
    audit_record(
        actor=None,
        action="alert.raise",
        obj=alert,
        region_code=alert.county_id,
        details={"kind": kind},
    )
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, action_taken: str) -> Alert:
    require_region(actor, alert.county_id)
    if alert.county_id == settings.EARMARK_PROVINCE_CODE:
        require_role(actor, Role.PROVINCE_ADMIN)
    else:
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
