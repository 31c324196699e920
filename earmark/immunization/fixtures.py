"""pytest fixtures for immunization: a vaccinator with pig tags, a farm with stock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.species import species_digits
from earmark.eartags.fixtures import Register
from earmark.eartags.holders import Holder
from earmark.eartags.parse import parse_tags
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.farms.models import Premises
from earmark.immunization.models import ImmunizationRecord, Vaccine
from earmark.immunization.services.records import Session, immunization_record

ISSUED_DAYS_AGO = 250
# Who sold the vaccine (art. 9), in the sessions tests record.
SELLER = "南关区兽药经营部"
# The age and seller every API session of the tests states (art. 9).
ART9 = {"age": 35, "age_unit": "days", "seller": SELLER}


@pytest.fixture
def vaccinator(make_user: MakeUser) -> User:
    """Vaccinator No. 31 of 南岭街道 (220102001)."""
    return make_user(
        "220102001", (Role.VACCINATOR,), username="nanling-vaccinator", vaccinator_number="31"
    )


@pytest.fixture
def pig_farm(make_premises: Any) -> Premises:
    return make_premises(name="南岭生猪场", township="220102001", stock={"pig": 50})


@pytest.fixture
def stocked_vaccinator(
    vaccinator: User,
    register: Register,
    station: Agency,
    station_officer: User,
    county_officer: User,
) -> User:
    """The vaccinator holds pig serials 1-100 of 南关区, through the county and the station,
    since 250 days ago: a session may be dated back to then, not before."""
    with time_machine.travel(timezone.now() - timedelta(days=ISSUED_DAYS_AGO), tick=True):
        register((1, 1000, "A1", "01"))
        tags_issue(
            actor=county_officer,
            target=Holder(agency=station),
            species="pig",
            selection=Selection(count=500),
        )
        tags_issue(
            actor=station_officer,
            target=Holder(vaccinator=vaccinator),
            species="pig",
            selection=Selection(count=100),
        )
    return vaccinator


def fmd_pig() -> Vaccine:
    return Vaccine.objects.get(name="猪口蹄疫O型灭活疫苗")


@pytest.fixture
def vaccinate(stocked_vaccinator: User, pig_farm: Premises) -> Callable[..., ImmunizationRecord]:
    def make(
        numbers: str, on: date, vaccine: Vaccine | None = None, premises: Premises | None = None
    ) -> ImmunizationRecord:
        return immunization_record(
            actor=stocked_vaccinator,
            premises=premises or pig_farm,
            session=Session(
                species="pig",
                vaccine=vaccine or fmd_pig(),
                batch_number="B2026-01",
                disinfection="75%酒精浸泡消毒",
                vaccinated_on=on,
                age=35,
                age_unit="days",
                seller=SELLER,
            ),
            numbers=parse_tags(numbers, species=species_digits()).numbers,
        )

    return make
