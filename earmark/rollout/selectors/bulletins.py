"""The bulletins of the reader's jurisdiction: its drafts and what it issued."""

from __future__ import annotations

from django.db.models import QuerySet

from earmark.accounts.access import require_role, user_jurisdiction
from earmark.accounts.models import Role, User
from earmark.core.errors import NotFound
from earmark.rollout.models import Bulletin

# Who drafts, reviews and issues bulletins: the province and the cities, each its own.
PUBLISHERS = (Role.PROVINCE_ADMIN, Role.CITY_OFFICER)


def bulletin_list(*, user: User) -> QuerySet[Bulletin]:
    """Newest first; a bulletin belongs to the region whose agency drafted it."""
    require_role(user, *PUBLISHERS)
    return Bulletin.objects.filter(region_id=user_jurisdiction(user)).select_related(
        "region", "agency", "drafted_by", "reviewed_by", "issued_by", "corrects"
    )


def bulletins_issued(*, user: User) -> list[tuple[int, str]]:
    """(id, number) of the region's issued bulletins: what a correction may name."""
    issued = bulletin_list(user=user).filter(status=Bulletin.Status.ISSUED)
    return list(issued.values_list("pk", "number"))


def bulletin_get(*, user: User, pk: int) -> Bulletin:
    found = bulletin_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
