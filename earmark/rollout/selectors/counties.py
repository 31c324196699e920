"""Each county's way to the new functions as it stands: derived steps (verified farms,
registered inventory, training) and the decisions taken (requested, enabled, accepted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.eartags.models import Registration
from earmark.farms.models import Premises
from earmark.regions.models import Region
from earmark.rollout.models import Attendance, CountyRollout, Stage, Training


@dataclass
class CountyProgress:
    code: str
    name: str
    premises: int
    verified: int
    inventory: bool
    trained: bool
    decision: CountyRollout | None

    @property
    def verified_share(self) -> float:
        return self.verified / self.premises if self.premises else 0.0

    @property
    def farms_verified(self) -> bool:
        return bool(self.premises) and self.verified_share >= settings.EARMARK_ROLLOUT_VERIFIED

    @property
    def prepared(self) -> bool:
        return self.farms_verified and self.inventory

    @property
    def stage(self) -> Stage:
        decision = self.decision
        if decision is not None and decision.accepted_at:
            return Stage.ACCEPTED
        if decision is not None and decision.enabled_at:
            return Stage.ENABLED
        if decision is not None and decision.requested_at:
            return Stage.REQUESTED
        if self.prepared and self.trained:
            return Stage.TRAINED
        if self.prepared:
            return Stage.INVENTORY_REGISTERED
        return Stage.FARMS_VERIFIED if self.farms_verified else Stage.PREPARING

    def missing(self) -> list[str]:
        """What the county still has to do before it may request enablement."""
        problems = []
        if not self.farms_verified:
            problems.append(
                _("%(verified)d of %(total)d premises verified; at least %(share)d%% are needed.")
                % {
                    "verified": self.verified,
                    "total": self.premises,
                    "share": round(settings.EARMARK_ROLLOUT_VERIFIED * 100),
                }
            )
        if not self.inventory:
            problems.append(_("No tag inventory is registered yet."))
        if not self.trained:
            problems.append(_("No user training of the county is recorded yet."))
        return problems

    def reached(self, measure: str, on: date) -> date | None:
        """The day the county reached ``measure`` (prepared, enabled, accepted), if by ``on``.
        Preparation is dated by the request for enablement; before that it is read from
        today's data and counts as reached on ``on``."""
        decision = self.decision
        moment: datetime | None = None
        if measure == "prepared":
            # A county that requested enablement was prepared when it asked.
            if decision is None or decision.requested_at is None:
                return on if self.prepared else None
            moment = decision.requested_at
        elif decision is not None:
            moment = decision.enabled_at if measure == "enabled" else decision.accepted_at
        if moment is None:
            return None
        day = timezone.localtime(moment).date()
        return day if day <= on else None


def counties_progress(prefix: str) -> list[CountyProgress]:
    """Every county under the region code ``prefix``, with its steps, in four queries."""

    counties = Region.objects.filter(level=Region.Level.COUNTY, code__startswith=prefix)
    counts = {
        row["county_code"]: row
        for row in Premises.objects.filter(county_code__startswith=prefix)
        .values("county_code")
        .annotate(total=Count("id"), verified=Count("id", filter=Q(status="verified")))
    }
    inventory = set(
        Registration.objects.filter(county__code__startswith=prefix)
        .values_list("county_id", flat=True)
        .distinct()
    )
    trained = {
        code[:6]
        for code in Training.objects.filter(
            kind=Training.Kind.USER, organiser__region__code__startswith=prefix
        ).values_list("organiser__region_id", flat=True)
    } | {
        code[:6]
        for code in Attendance.objects.filter(
            training__kind=Training.Kind.USER, agency__region__code__startswith=prefix
        ).values_list("agency__region_id", flat=True)
    }
    decisions = {
        d.county_id: d
        for d in CountyRollout.objects.filter(county__code__startswith=prefix).select_related(
            "county"
        )
    }
    return [
        CountyProgress(
            code=county.code,
            name=county.name,
            premises=counts.get(county.code, {}).get("total", 0),
            verified=counts.get(county.code, {}).get("verified", 0),
            inventory=county.code in inventory,
            trained=county.code in trained,
            decision=decisions.get(county.code),
        )
        for county in counties
    ]


def county_progress(*, user: User, code: str) -> CountyProgress:
    require_region(user, code)
    found = [c for c in counties_progress(code) if c.code == code]
    if not found:
        raise NotFound()
    return found[0]


def counties_list(*, user: User) -> list[CountyProgress]:
    return counties_progress(jurisdiction_prefix(user_jurisdiction(user)))
