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
from earmark.core.validators import FieldCheck
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
    check = FieldCheck()
    values = {
        "leader": check.text("leader", leader, 100, missing=_("Name the group's head.")),
        "members": check.text("members", members, 500, required=False),
        "liaison_name": check.text(
            "liaison_name", liaison_name, 50, missing=_("Name the liaison officer.")
        ),
        "liaison_phone": check.mobile("liaison_phone", liaison_phone),
    }
    if check:
        raise invalid(_("The leading group was not saved."), check.problems)
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
    check = FieldCheck()
    if kind not in Publicity.Kind.values:
        check.add("kind", _("Choose the kind of activity."))
    text = check.text("title", title, 100, missing=_("Describe the activity."))
    if held_on > timezone.localdate():
        check.add("held_on", _("An activity is recorded after it took place."))
    if not 0 < reach <= 10_000_000:
        check.add("reach", _("The number of people or copies reached, from 1."))
    if check:
        raise invalid(_("The activity was not recorded."), check.problems)
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
