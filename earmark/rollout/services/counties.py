"""Each county's decisions on its way to the new functions: the county requests, the province
enables and accepts (its derived steps are read in ``selectors.counties``). Whether a county is
enabled gates the system issue of tags, inventory-checked declarations and certificates
everywhere they can be reached."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, item
from earmark.regions.errors import COUNTY_NOT_ENABLED
from earmark.rollout.errors import (
    COUNTY_ALREADY_ACCEPTED,
    COUNTY_ALREADY_ENABLED,
    COUNTY_NOT_READY,
    ENABLEMENT_ALREADY_REQUESTED,
    ENABLEMENT_NOT_REQUESTED,
)
from earmark.rollout.models import CountyRollout
from earmark.rollout.selectors.counties import county_progress


def _locked(code: str) -> CountyRollout:
    CountyRollout.objects.get_or_create(county_id=code)
    return CountyRollout.objects.select_for_update().select_related("county").get(county_id=code)


@transaction.atomic
def county_request(
    *, actor: User, code: str, planned_on: date | None, note: str = ""
) -> CountyRollout:
    """The county asks the province to switch the new functions on from ``planned_on``."""
    require_role(actor, Role.COUNTY_OFFICER)
    progress = county_progress(user=actor, code=code)
    decision = _locked(code)
    if decision.enabled_at:
        raise BusinessError(code=COUNTY_ALREADY_ENABLED)
    if decision.requested_at:
        raise BusinessError(code=ENABLEMENT_ALREADY_REQUESTED)
    problems = progress.missing()
    if planned_on is None:
        problems.append(_("Give the planned date of enablement."))
    elif planned_on < timezone.localdate():
        problems.append(_("The planned date lies in the past."))
    if problems:
        raise BusinessError(
            _("Enablement cannot be requested yet."),
            code=COUNTY_NOT_READY,
            items=[item("", problem) for problem in problems],
        )
    decision.planned_on = planned_on
    decision.requested_at = timezone.now()
    decision.requested_by = actor
    decision.note = note.strip()[:500]
    decision.save()
    audit_record(
        actor=actor,
        action="rollout.request",
        obj=decision,
        region_code=code,
        details={"planned_on": str(planned_on)},
    )
    return decision


@transaction.atomic
def county_enable(*, actor: User, code: str) -> CountyRollout:
    """The province switches the new functions on in a county that asked for them."""
    require_role(actor, Role.PROVINCE_ADMIN)
    county_progress(user=actor, code=code)
    decision = _locked(code)
    if decision.enabled_at:
        raise BusinessError(code=COUNTY_ALREADY_ENABLED)
    if not decision.requested_at:
        raise BusinessError(code=ENABLEMENT_NOT_REQUESTED)
    decision.county.enabled_at = timezone.now()
    decision.county.save(update_fields=["enabled_at"])
    decision.enabled_by = actor
    decision.save()
    audit_record(actor=actor, action="rollout.enable", obj=decision, region_code=code)
    return decision


@transaction.atomic
def county_accept(*, actor: User, code: str, note: str = "") -> CountyRollout:
    """The province accepts (验收) a county's use of the new functions."""
    require_role(actor, Role.PROVINCE_ADMIN)
    county_progress(user=actor, code=code)
    decision = _locked(code)
    if decision.accepted_at:
        raise BusinessError(code=COUNTY_ALREADY_ACCEPTED)
    if not decision.enabled_at:
        raise BusinessError(_("Only an enabled county can be accepted."), code=COUNTY_NOT_ENABLED)
    decision.accepted_at = timezone.now()
    decision.accepted_by = actor
    if note.strip():
        decision.note = note.strip()[:500]
    decision.save()
    audit_record(actor=actor, action="rollout.accept", obj=decision, region_code=code)
    return decision
