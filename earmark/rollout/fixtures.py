"""pytest fixtures for the rollout: the counties the tests work in are enabled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from earmark.rollout.models import CountyRollout

TEST_COUNTIES = ("220102", "220113")


def enable(code: str) -> CountyRollout:
    """Switch a county on directly, as if it had asked and the province had agreed."""
    now = timezone.now()
    decision, _created = CountyRollout.objects.update_or_create(
        county_id=code, defaults={"requested_at": now, "enabled_at": now}
    )
    return decision


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
    def switch_off(code: str) -> None:
        CountyRollout.objects.filter(county_id=code).delete()

    return switch_off
