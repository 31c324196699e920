"""Reading the case register."""

from __future__ import annotations

from django.db.models import QuerySet

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.trace.models import Case


def case_list(*, user: User, status: str = "") -> QuerySet[Case]:
    """The cases of the user's jurisdiction, newest first; ``status`` narrows them."""
    cases = Case.objects.filter(jurisdiction_q(user, "county_code")).select_related(
        "opened_by", "decided_by", "closed_by"
    )
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-opened_at", "-id")


def case_get(*, user: User, number: str) -> Case:
    case = case_list(user=user).filter(number=number).first()
    if case is None:
        raise NotFound()
    return case
