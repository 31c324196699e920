"""The plan's milestones, and every city and county against them on a given day."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from earmark.accounts.access import user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.regions.models import Region
from earmark.rollout.models import Milestone
from earmark.rollout.selectors.counties import CountyProgress, counties_progress


def milestone_list(*, user: User) -> QuerySet[Milestone]:
    """The plan's milestones, for any signed-in user with a jurisdiction."""
    user_jurisdiction(user)
    return Milestone.objects.all()


@dataclass
class CityMilestone:
    milestone: Milestone
    reached: int
    needed: int
    met_on: date | None
    state: str  # met, late, overdue, pending


@dataclass
class CountyRow:
    progress: CountyProgress
    overdue: list[str] = field(default_factory=list)


@dataclass
class CityRow:
    code: str
    name: str
    counties: list[CountyRow]
    milestones: list[CityMilestone]

    @property
    def overdue(self) -> bool:
        return any(m.state == "overdue" for m in self.milestones)


@dataclass
class Board:
    on: date
    milestones: list[Milestone]
    cities: list[CityRow]


def _needed(milestone: Milestone, total: int) -> int:
    return max(milestone.at_least, math.ceil(milestone.share * total / 100))


def city_milestone(milestone: Milestone, counties: list[CountyProgress], on: date) -> CityMilestone:
    """How many of a city's counties reached the milestone's measure by ``on``, and the day the
    city met it: the day its ``needed``-th county got there."""
    needed = _needed(milestone, len(counties))
    days = sorted(d for d in (c.reached(milestone.measure, on) for c in counties) if d)
    met_on: date | None = None
    if not needed:
        met_on = on
    elif len(days) >= needed:
        met_on = days[needed - 1]
    if met_on is None:
        state = "overdue" if on > milestone.due else "pending"
    elif met_on <= milestone.due or milestone.measure == Milestone.Measure.PREPARED:
        # Preparation is read from today's data and carries no date: met is met.
        state = "met"
    else:
        state = "late"
    return CityMilestone(milestone, len(days), needed, met_on, state)


def rollout_board(*, user: User, on: date) -> Board:
    """Every city of the user's jurisdiction against every milestone (a county officer sees
    its own county only, with no city summary)."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    milestones = list(Milestone.objects.all())
    progress = counties_progress(prefix)
    cities = Region.objects.filter(level=Region.Level.CITY, code__startswith=prefix[:4])
    rows = []
    for city in cities:
        members = [c for c in progress if c.code.startswith(city.code[:4])]
        if not members:
            continue
        whole_city = len(prefix) <= 4
        summary = [city_milestone(m, members, on) for m in milestones] if whole_city else []
        rows.append(
            CityRow(
                city.code,
                city.name,
                [CountyRow(c, _county_overdue(c, milestones, on)) for c in members],
                summary,
            )
        )
    return Board(on, milestones, rows)


def _county_overdue(county: CountyProgress, milestones: list[Milestone], on: date) -> list[str]:
    """Milestones that every county must meet (100 %) whose day has passed without this one."""
    return [
        m.title
        for m in milestones
        if m.share == 100 and on > m.due and county.reached(m.measure, on) is None
    ]
