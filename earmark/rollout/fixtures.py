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


Publish = Callable[..., Any]


@pytest.fixture
def publish(make_user: Any) -> Publish:
    """``publish(user, month, **draft)``: the bulletin of ``user``'s region for ``month``,
    drafted by ``user``, reviewed by a second official of the same region, issued by ``user``;
    its PDF as downloaded (the response)."""
    from earmark.accounts.access import user_jurisdiction
    from earmark.accounts.models import Role
    from earmark.core.testing import client_for

    def make(user: User, month: str, **draft: Any) -> Any:
        client = client_for(user)
        created = client.post(
            "/api/v1/bulletins", {"period": month, **draft}, content_type="application/json"
        )
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        region = user_jurisdiction(user)
        role = (
            Role.PROVINCE_ADMIN
            if len(region) == 6 and region.endswith("0000")
            else (Role.CITY_OFFICER)
        )
        reviewer = User.objects.filter(username=f"reviewer-{region}").first() or make_user(
            region, (role,), username=f"reviewer-{region}"
        )
        reviewed = client_for(reviewer).post(f"/api/v1/bulletins/{pk}/review")
        assert reviewed.status_code == 200, reviewed.content
        issued = client.post(f"/api/v1/bulletins/{pk}/issue")
        assert issued.status_code == 200, issued.content
        return client.get(f"/api/v1/bulletins/{pk}/pdf")

    return make
