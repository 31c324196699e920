"""Reading the case register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.regions.models import Region
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


@dataclass(frozen=True)
class CaseCount:
    county: str
    name: str
    opened: int
    closed: int


def case_counts(*, user: User, since: date, until: date) -> list[CaseCount]:
    """Per county of the jurisdiction, the cases opened and those closed between two days (both
    included), for the bulletin; counties with neither are left out."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    cases = Case.objects.filter(jurisdiction_q(user, "county_code"))
    opened = dict(
        cases.filter(opened_at__gte=start, opened_at__lt=end)
        .values_list("county_code")
        .annotate(n=Count("id"))
    )
    closed = dict(
        cases.filter(closed_at__gte=start, closed_at__lt=end)
        .values_list("county_code")
        .annotate(n=Count("id"))
    )
    codes = sorted(set(opened) | set(closed))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        CaseCount(code, names.get(code, code), opened.get(code, 0), closed.get(code, 0))
        for code in codes
    ]
