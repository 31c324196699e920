"""pytest fixtures for the rollout: the counties the tests work in are enabled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.models import User
from earmark.farms.services.changes import premises_verify
from earmark.regions.models import Region
from earmark.rollout.models import CountyRollout, Training
from earmark.rollout.services.equipment import training_record

TEST_COUNTIES = ("220102", "220113")


def enable(code: str) -> CountyRollout:
    """Switch a county on directly, as if it had asked and the province had agreed."""
    now = timezone.now()
    decision, _created = CountyRollout.objects.update_or_create(
        county_id=code, defaults={"requested_at": now}
    )
    Region.objects.filter(code=code).update(enabled_at=now)
    return decision


def switch_off(*codes: str) -> None:
    """Undo every decision about the counties ``codes`` (all counties when none is given)."""
    decisions = CountyRollout.objects.all()
    regions = Region.objects.filter(level=Region.Level.COUNTY)
    if codes:
        decisions = decisions.filter(county_id__in=codes)
        regions = regions.filter(code__in=codes)
    decisions.delete()
    regions.update(enabled_at=None)


@pytest.fixture(autouse=True)
def _enabled_counties(request: pytest.FixtureRequest) -> None:
    """南关区 and 九台区, where the tests declare and certify, have the new functions on."""
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    for code in TEST_COUNTIES:
        enable(code)


@pytest.fixture
def disable() -> Callable[[str], None]:
    return switch_off


def prepare(county_officer: User, make_premises: Any, register: Any) -> None:
    """Take 南关区 through the steps read from its data: every premises verified, inventory
    registered, a user training recorded — ready to request enablement."""

    premises_verify(actor=county_officer, premises=make_premises(name="南岭一场"))
    register((1, 100, "A1", "01"))
    training_record(
        actor=county_officer,
        kind=Training.Kind.USER,
        held_on=timezone.localdate(),
        title="使用培训",
        attendance=[("220102", 3)],
    )
