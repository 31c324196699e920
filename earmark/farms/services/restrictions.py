"""Movement restrictions (封锁/限制移动): placed by the county with a reason, standing until their
end or until lifted; declarations and certificates check them (quarantine.services.review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, invalid
from earmark.core.validators import CONTROL_PROBLEM, has_control_characters
from earmark.farms.errors import RESTRICTION_ALREADY_LIFTED
from earmark.farms.models import Premises, Restriction
from earmark.regions.models import Region

# A radius beyond this is a township's or a county's matter, not one premises'.
MAX_RADIUS_KM = Decimal("50")


@dataclass(frozen=True)
class RestrictionData:
    kind: str
    reason: str
    premises: Premises | None = None
    township: str = ""
    radius_km: Decimal | None = None
    investigation: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def _problems(data: RestrictionData) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.kind not in Restriction.Kind.values:
        problems["kind"] = _("Choose one premises, a township or a radius.")
    if data.kind in (Restriction.Kind.PREMISES, Restriction.Kind.RADIUS) and data.premises is None:
        problems["premises"] = _("Name the premises (its 12-digit code).")
    if (
        data.kind == Restriction.Kind.TOWNSHIP
        and not Region.objects.filter(code=data.township, level=Region.Level.TOWNSHIP).exists()
    ):
        problems["township"] = _("Name the township (its 9-digit code).")
    if data.kind == Restriction.Kind.RADIUS:
        if data.radius_km is None or not Decimal("0") < data.radius_km <= MAX_RADIUS_KM:
            problems["radius_km"] = _("A radius of more than 0 and at most %(km)s km.") % {
                "km": MAX_RADIUS_KM
            }
        if data.premises is not None and None in (data.premises.latitude, data.premises.longitude):
            problems["premises"] = _(
                "The premises has no coordinates: restrict it, or its township, instead."
            )
    if not data.reason.strip():
        problems["reason"] = _("Give the reason.")
    for name in ("reason", "investigation"):
        if has_control_characters(getattr(data, name)):
            problems[name] = str(CONTROL_PROBLEM)
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        problems["ends_at"] = _("The end comes after the start.")
    return problems


@transaction.atomic
def restriction_place(*, actor: User, data: RestrictionData) -> Restriction:
    """A county places a restriction on what lies in its county (a radius may reach beyond)."""
    require_role(actor, Role.COUNTY_OFFICER)
    problems = _problems(data)
    if problems:
        raise invalid(_("The restriction was not placed; correct the fields below."), problems)
    place = data.premises.township_id if data.premises is not None else data.township
    require_region(actor, place)
    restriction = Restriction.objects.create(
        kind=data.kind,
        premises=data.premises if data.kind != Restriction.Kind.TOWNSHIP else None,
        township_id=data.township if data.kind == Restriction.Kind.TOWNSHIP else None,
        radius_km=data.radius_km if data.kind == Restriction.Kind.RADIUS else None,
        county_code=place[:6],
        reason=data.reason.strip(),
        investigation=data.investigation.strip(),
        starts_at=data.starts_at or timezone.now(),
        ends_at=data.ends_at,
        placed_by=actor,
    )
    outbox_emit(
        "restriction.placed", f"restriction:{restriction.pk}", restriction_payload(restriction)
    )
    audit_record(actor=actor, action="restriction.place", obj=restriction, region_code=place)
    return restriction


@transaction.atomic
def restriction_lift(*, actor: User, restriction: Restriction, reason: str) -> Restriction:
    require_role(actor, Role.COUNTY_OFFICER)
    require_region(actor, restriction.county_code)
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if restriction.lifted_at is not None:
        raise BusinessError(code=RESTRICTION_ALREADY_LIFTED)
    if not reason.strip() or has_control_characters(reason):
        raise invalid(_("Give the reason for lifting it."), {"reason": _("Required.")})
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = actor
    restriction.lift_reason = reason.strip()
    restriction.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    outbox_emit(
        "restriction.lifted", f"restriction:{restriction.pk}", restriction_payload(restriction)
    )
    audit_record(
        actor=actor, action="restriction.lift", obj=restriction, region_code=restriction.county_code
    )
    return restriction


def restriction_payload(restriction: Restriction) -> dict[str, object]:
    """What the national platform is told of a restriction."""
    return {
        "id": restriction.pk,
        "kind": restriction.kind,
        "premises": restriction.premises.code if restriction.premises else None,
        "township": restriction.township_id,
        "radius_km": restriction.radius_km,
        "county": restriction.county_code,
        "reason": restriction.reason,
        "investigation": restriction.investigation,
        "starts_at": restriction.starts_at,
        "ends_at": restriction.ends_at,
        "lifted_at": restriction.lifted_at,
    }
