"""pytest fixtures for ear-tag inventory, made through the real services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.eartags.holders import Holder
from earmark.eartags.models import Issue, Registration
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.eartags.services.registration import RegistrationRow, tags_register

# 南关区 (220102) pig tags: species digit 1, county 220102, serials from 1.
PIG = 122_010_200_000_000


def pig(serial: int) -> str:
    return f"{PIG + serial:015d}"


Register = Callable[..., Registration]


@pytest.fixture
def register(county_officer: User) -> Register:
    """``register((1, 1000, "B1", "P1"), ...)``: pig serials registered by 南关区's officer."""

    def make(*ranges: tuple[int, int, str, str], actor: User | None = None) -> Registration:
        rows = [
            RegistrationRow(
                line=n,
                species="pig",
                first=pig(first),
                last=pig(last),
                quantity=str(last - first + 1),
                box=box,
                pack=pack,
            )
            for n, (first, last, box, pack) in enumerate(ranges, start=2)
        ]
        return tags_register(actor=actor or county_officer, rows=rows)

    return make


@pytest.fixture
def station() -> Agency:
    """南岭街道's township station, in 南关区."""
    return Agency.objects.get(region_id="220102001")


@pytest.fixture
def station_officer(make_user: MakeUser) -> User:
    return make_user("220102001", (Role.TOWNSHIP_OFFICER,), username="nanling-officer")


@pytest.fixture
def first_issue(county_officer: User, station: Agency) -> Callable[..., Issue]:
    def make(ranges: str = "", count: int = 0) -> Issue:
        return tags_issue(
            actor=county_officer,
            target=Holder(agency=station),
            species="pig",
            selection=Selection(ranges=ranges, count=count),
        )

    return make
