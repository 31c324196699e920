"""Reading the supervision: rounds of progress reports with who filed on time, late or not at
all, and inspection visits with their open fixes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from earmark.accounts.access import jurisdiction_q, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.regions.models import Region
from earmark.regions.selectors import counties_within
from earmark.rollout.models import Inspection, InspectionFix, ProgressReport, ReportRound


def round_list(*, user: User) -> QuerySet[ReportRound]:
    """Every round, newest first, with how many of the jurisdiction's counties filed."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    return ReportRound.objects.annotate(
        filed=Count("reports", filter=Q(reports__county__code__startswith=prefix))
    ).order_by("-due_on", "-id")


def round_get(*, user: User, round_id: int) -> ReportRound:
    found = round_list(user=user).filter(pk=round_id).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class Standing:
    """One county in a round: its report, if filed, and whether it is late."""

    county: Region
    report: ProgressReport | None
    state: str  # on_time, late, missing (due and not filed), pending (not yet due)


def _state(report: ProgressReport | None, due_on: date, today: date) -> str:
    if report is not None:
        filed = timezone.localtime(report.filed_at).date()
        return "late" if filed > due_on else "on_time"
    return "missing" if today > due_on else "pending"


def jurisdiction_counties(*, user: User) -> list[Region]:
    """The counties of the user's jurisdiction (its own, for a county or township), in code
    order."""
    return list(counties_within(prefix=jurisdiction_prefix(user_jurisdiction(user))[:6]))


def round_standing(*, user: User, round: ReportRound) -> list[Standing]:
    """Each county of the user's jurisdiction in the round, in code order."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))[:6]
    counties = jurisdiction_counties(user=user)
    reports = {
        r.county_id: r
        for r in ProgressReport.objects.filter(round=round, county__code__startswith=prefix)
    }
    today = timezone.localdate()
    return [
        Standing(
            county, reports.get(county.code), _state(reports.get(county.code), round.due_on, today)
        )
        for county in counties
    ]


def late_counties(*, user: User, since: date, until: date) -> list[tuple[ReportRound, list[str]]]:
    """Rounds due between two days, each with the counties that filed late or not at all (by
    name), for the bulletin; rounds everyone answered on time are left out."""
    found = []
    for called in ReportRound.objects.filter(due_on__range=(since, until)).order_by("due_on"):
        names = [
            s.county.name
            for s in round_standing(user=user, round=called)
            if s.state in ("late", "missing")
        ]
        if names:
            found.append((called, names))
    return found


def report_list(*, user: User, round_id: int | None = None) -> QuerySet[ProgressReport]:
    reports = ProgressReport.objects.filter(jurisdiction_q(user, "county__code")).select_related(
        "round", "county"
    )
    if round_id is not None:
        reports = reports.filter(round_id=round_id)
    return reports.order_by("-round__due_on", "county_id")


def inspection_list(*, user: User) -> QuerySet[Inspection]:
    """The visits to counties of the user's jurisdiction, newest first, with their fixes."""
    return (
        Inspection.objects.filter(jurisdiction_q(user, "county__code"))
        .select_related("county", "inspector")
        .prefetch_related(
            Prefetch("fixes", queryset=InspectionFix.objects.select_related("answered_by"))
        )
        .order_by("-visited_on", "-id")
    )


def inspection_get(*, user: User, inspection_id: int) -> Inspection:
    found = inspection_list(user=user).filter(pk=inspection_id).first()
    if found is None:
        raise NotFound()
    return found


def open_fixes(*, user: User) -> list[InspectionFix]:
    """Fixes not yet answered in the user's jurisdiction, by deadline."""
    return list(
        InspectionFix.objects.filter(
            jurisdiction_q(user, "inspection__county__code"), answered_at__isnull=True
        )
        .select_related("inspection__county")
        .order_by("deadline", "id")
    )
