"""The province edits the plan's milestones (the board against them: ``selectors.milestones``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role, user_jurisdiction
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, item
from earmark.rollout.models import Milestone


@transaction.atomic
def milestones_update(*, actor: User, rows: list[dict[str, Any]]) -> list[Milestone]:
    """The province edits the milestones: all rows are checked, then all are saved, or none."""
    require_role(actor, Role.PROVINCE_ADMIN)
    existing = {m.key: m for m in Milestone.objects.select_for_update()}
    problems: dict[str, str] = {}
    for index, row in enumerate(rows):
        key = str(row.get("key", ""))
        label = key or str(index + 1)
        if key not in existing:
            problems[label] = _("No milestone %(key)s.") % {"key": key}
            continue
        share = row.get("share", existing[key].share)
        if not isinstance(share, int) or not 0 <= share <= 100:
            problems[label] = _("The share is a whole percentage from 0 to 100.")
        at_least = row.get("at_least", existing[key].at_least)
        if not isinstance(at_least, int) or at_least < 0:
            problems[label] = _("The number of counties cannot be negative.")
        if not str(row.get("title", existing[key].title)).strip():
            problems[label] = _("Give the milestone a title.")
        if not isinstance(row.get("due", existing[key].due), date):
            problems[label] = _("Give the date the milestone is due.")
    if problems:
        raise BusinessError(
            _("The milestones were not changed; correct these rows."),
            code=INVALID_INPUT,
            items=[item(key, message) for key, message in problems.items()],
        )
    for row in rows:
        milestone = existing[row["key"]]
        milestone.title = str(row.get("title", milestone.title)).strip()[:100]
        milestone.due = row.get("due", milestone.due)
        milestone.share = row.get("share", milestone.share)
        milestone.at_least = row.get("at_least", milestone.at_least)
        milestone.updated_by = actor
        milestone.save()
    audit_record(
        actor=actor,
        action="rollout.milestones",
        object_type="milestones",
        region_code=user_jurisdiction(actor),
        details={"rows": [{**r, "due": str(r.get("due", ""))} for r in rows]},
    )
    return list(Milestone.objects.all())
