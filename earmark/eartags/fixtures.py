"""pytest fixtures for ear-tag inventory, made through the real services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.eartags.holders import Holder
from earmark.eartags.models import Issue, Manufacturer, Registration, TagOrder
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.eartags.services.makers import (
    ManufacturerData,
    manufacturer_register,
    order_place,
    plan_set,
)
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
def maker(province_admin: User) -> Manufacturer:
    """A maker designated for pigs this year and next, with a plan of 100,000 pig tags."""
    today = timezone.localdate()
    maker = manufacturer_register(
        actor=province_admin,
        data=ManufacturerData(
            name="吉林省耳标厂",
            licence="吉农标字第001号",
            species=["pig"],
            valid_from=date(today.year, 1, 1),
            valid_until=date(today.year + 1, 12, 31),
        ),
    )
    plan_set(
        actor=province_admin, manufacturer=maker, year=today.year, species="pig", quantity=100_000
    )
    return maker


@pytest.fixture
def tag_order(maker: Manufacturer, county_officer: User) -> TagOrder:
    """南关区's order of pig serials 1–50,000 against the maker's plan."""
    return order_place(actor=county_officer, plan=maker.plans.get(), first=pig(1), last=pig(50_000))


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
