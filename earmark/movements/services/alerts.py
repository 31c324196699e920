"""Alerts: a problem found downstream, sent to the county that must act on it (art. 21), with
the certificate's trace attached, until an officer of that county acknowledges it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, Conflict
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate


def alert_raise(
    *,
    actor: User,
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


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, action_taken: str) -> Alert:
    require_region(actor, alert.county_id)
    require_role(actor, Role.COUNTY_OFFICER, Role.OFFICIAL_VET)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise Conflict(_("The alert was acknowledged already."))
    if not action_taken.strip():
        raise BusinessError(
            _("Say what was done."),
            code="invalid",
            fields={"action_taken": _("Say what was done.")},
        )
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.action_taken = action_taken.strip()[:500]
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "action_taken"])
    audit_record(actor=actor, action="alert.acknowledge", obj=alert, region_code=alert.county_id)
    return alert
