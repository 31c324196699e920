"""How each agency organises the work (Jilin §4): its leading group and liaison officer, and the
publicity it carries out."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import invalid
from earmark.core.validators import MOBILE_PROBLEM, clean_text, is_mobile
from earmark.rollout.models import LeadingGroup, Publicity

# Whoever speaks for an agency: its officers at each level.
OFFICERS = (Role.PROVINCE_ADMIN, Role.CITY_OFFICER, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER)


@transaction.atomic
def leading_group_set(
    *, actor: User, leader: str, members: str, liaison_name: str, liaison_phone: str
) -> LeadingGroup:
    """The actor's agency names (or renames) its leading group's head and members and its
    liaison officer, whom the province and city call about the work."""
    require_role(actor, *OFFICERS)
    errors: dict[str, str] = {}
    values = {
        "leader": clean_text(leader, 100),
        "members": clean_text(members, 500, required=False),
        "liaison_name": clean_text(liaison_name, 50),
        "liaison_phone": clean_text(liaison_phone, 20),
    }
    for name, value in values.items():
        if value is None:
            errors[name] = _("Required, without control characters, within its length.")
    if values["liaison_phone"] and not is_mobile(values["liaison_phone"]):
        errors["liaison_phone"] = str(MOBILE_PROBLEM)
    if errors:
        raise invalid(_("The leading group was not saved."), errors)
    assert actor.agency is not None  # require_role refuses users without an agency
    group, _created = LeadingGroup.objects.update_or_create(
        agency=actor.agency, defaults={**values, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        action="rollout.leading_group",
        obj=group,
        region_code=actor.agency.region_id,
        details={"leader": group.leader, "liaison": group.liaison_name},
    )
    return group


@transaction.atomic
def publicity_record(*, actor: User, kind: str, held_on: date, title: str, reach: int) -> Publicity:
    """Record a publicity activity of the actor's agency (Jilin §4(3))."""
    require_role(actor, *OFFICERS)
    errors: dict[str, str] = {}
    if kind not in Publicity.Kind.values:
        errors["kind"] = _("Choose the kind of activity.")
    text = clean_text(title, 100)
    if text is None:
        errors["title"] = _("Describe the activity (at most 100 characters).")
    if held_on > timezone.localdate():
        errors["held_on"] = _("An activity is recorded after it took place.")
    if not 0 < reach <= 10_000_000:
        errors["reach"] = _("The number of people or copies reached, from 1.")
    if errors:
        raise invalid(_("The activity was not recorded."), errors)
    assert actor.agency is not None
    activity = Publicity.objects.create(
        organiser=actor.agency,
        kind=kind,
        held_on=held_on,
        title=text or "",
        reach=reach,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="rollout.publicity",
        obj=activity,
        region_code=actor.agency.region_id,
        details={"kind": kind, "reach": reach},
    )
    return activity
