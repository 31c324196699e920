"""Reading how the agencies organise the work: leading groups and liaisons, publicity."""

from __future__ import annotations

from django.db.models import QuerySet

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import Agency, User
from earmark.rollout.models import Publicity


def agencies_with_groups(*, user: User) -> QuerySet[Agency]:
    """The supervision agencies (province, city, county) of the user's jurisdiction, each with
    its leading group if it named one (``leading_group`` is then set)."""
    return (
        Agency.objects.filter(jurisdiction_q(user, "region__code"), is_active=True)
        .exclude(level=Agency.Level.TOWNSHIP)
        .select_related("leading_group")
        .order_by("region_id")
    )


def publicity_list(*, user: User) -> QuerySet[Publicity]:
    return (
        Publicity.objects.filter(jurisdiction_q(user, "organiser__region__code"))
        .select_related("organiser")
        .order_by("-held_on", "-id")
    )
