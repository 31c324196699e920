"""Reads of the rollout plan that are not county progress (see ``services.counties``)."""

from __future__ import annotations

from django.db.models import QuerySet

from earmark.accounts.access import user_jurisdiction
from earmark.accounts.models import User
from earmark.rollout.models import Milestone


def milestone_list(*, user: User) -> QuerySet[Milestone]:
    """The plan's milestones, for any signed-in user with a jurisdiction."""
    user_jurisdiction(user)
    return Milestone.objects.all()
