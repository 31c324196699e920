"""pytest fixtures for quarantine: a signing key and a verified farm
whose pigs are tagged and vaccinated, ready to declare."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core import signing
from earmark.core.validators import normalize_plate
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises, Vehicle
from earmark.farms.services.changes import premises_verify
from earmark.farms.services.vehicles import VehicleData, vehicle_register
from earmark.immunization.models import ImmunizationRecord
from earmark.quarantine.demo import declared_in_advance
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import (
    declaration_decide,
    declaration_inspect,
    declaration_submit,
)
from earmark.quarantine.services.journey import Journey
from earmark.quarantine.services.province_keys import province_key_pin, province_keys_store
from earmark.quarantine.services.review_data import DeclarationData
from earmark.regions.provinces import leaves_province


@pytest.fixture(scope="session")
def signing_key_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "certificate-signing.pem"
    signing.generate(path)
    return path


@pytest.fixture(autouse=True)
def _quarantine_settings(settings: Any, signing_key_path: Path) -> None:
    settings.EARMARK_SIGNING_KEY = signing_key_path


@pytest.fixture
def vet(make_user: MakeUser) -> User:
    return make_user("220102001", (Role.OFFICIAL_VET,), username="nanling-vet")


@pytest.fixture
def ready_farm(
    vaccinate: Callable[..., ImmunizationRecord], pig_farm: Premises, county_officer: User
) -> Premises:
    """南岭生猪场: verified, 50 pigs on hand, pigs 1–20 tagged and vaccinated 10 days ago."""
    vaccinate(f"{pig(1)}-{pig(20)}", timezone.localdate() - timedelta(days=10))
    premises_verify(actor=county_officer, premises=pig_farm)
    pig_farm.refresh_from_db()
    return pig_farm


def declaration_data(**changes: Any) -> DeclarationData:
    values: dict[str, Any] = {
        "species": "pig",
        "quantity": 10,
        "purpose": "slaughter",
        "destination_province": "220000",
        "destination_region": "220102",
        "destination_address": "南关区定点屠宰场",
        "planned_departure": timezone.now() + timedelta(hours=12),
        "carrier_name": "赵运输",
        "carrier_phone": "13700001111",
        "vehicle_plate": "吉A12345",
        "numbers": f"{pig(1)}-{pig(10)}",
    }
    values.update(changes)
    return DeclarationData(**values)


@pytest.fixture
def declared(ready_farm: Premises) -> Callable[..., Declaration]:
    def make(**changes: Any) -> Declaration:
        return declaration_submit(premises=ready_farm, data=declaration_data(**changes))

    return make


@pytest.fixture
def declared_ahead(ready_farm: Premises) -> Callable[..., Declaration]:
    """``declared_ahead(**changes)``: a journey that leaves today (by default), declared as
    long before as its purpose asks, so that its certificate is issued now."""

    def make(**changes: Any) -> Declaration:
        return declared_in_advance(premises=ready_farm, data=declaration_data(**changes))

    return make


Certify = Callable[..., Certificate]


# How the vehicle of a certificate leaving the province was disinfected, in the tests.
DISINFECTED = "过氧乙酸喷雾消毒"


def leaving_journey(request: pytest.FixtureRequest, plate: str) -> Journey:
    """What a type A certificate by road needs: its vehicle registered (by 南关区) and the
    designated checkpoint it passes (拉林河检查站), with the vehicle's disinfection."""
    site = request.getfixturevalue("designated_checkpoint")
    county = request.getfixturevalue("county_officer")
    if not Vehicle.objects.filter(plate=normalize_plate(plate)).exists():
        vehicle_register(
            actor=county,
            data=VehicleData(
                plate=plate,
                owner_name="赵运输",
                owner_phone="13700001111",
                capacity=200,
                documents="吉交运管字220102000001号",
            ),
        )
    return Journey(checkpoint=site.code, disinfection=DISINFECTED)


@pytest.fixture
def certify(
    ready_farm: Premises,
    station_officer: User,
    vet: User,
    request: pytest.FixtureRequest,
) -> Certify:
    """``certify(**declaration changes)``: declared as long before the departure (today, by
    default) as its purpose asks, accepted, inspected and issued on the departure day; one
    leaving the province passes 拉林河检查站 on a registered, disinfected vehicle."""

    def make(**changes: Any) -> Certificate:
        leaving = leaves_province(changes.get("destination_province", "220000"))
        journey = (
            leaving_journey(request, changes.get("vehicle_plate", "吉A12345")) if leaving else None
        )
        declaration = declared_in_advance(premises=ready_farm, data=declaration_data(**changes))
        declaration_decide(actor=station_officer, declaration=declaration, accept=True)
        declaration_inspect(actor=vet, declaration=declaration, passed=True)
        return certificate_issue(actor=vet, declaration=declaration, journey=journey)

    return make


@pytest.fixture
def certified(certify: Certify) -> Certificate:
    """A type B certificate for 南岭生猪场's pigs 1–10, for slaughter in 南关区 (an address only),
    accepted, inspected and issued."""
    return certify()


@pytest.fixture
def certified_to(certify: Certify) -> Callable[..., Certificate]:
    """``certified_to(premises)``: pigs 1–10 certified for raising at ``premises``."""

    def make(premises: Premises, **changes: Any) -> Certificate:
        values: dict[str, Any] = {
            "purpose": "raising",
            "destination_region": premises.township_id,
            "destination_premises": premises.code,
            "destination_address": "",
            **changes,
        }
        return certify(**values)

    return make


@pytest.fixture
def heilongjiang(province_admin: User) -> Neighbour:
    """Heilongjiang's Earmark as the platform shows it, its key already pinned here (as after
    the fingerprint ceremony)."""
    neighbour = Neighbour("230000")
    assert province_keys_store([neighbour.key_entry()]).stored == 1
    province_key_pin(actor=province_admin, kid=neighbour.kid, fingerprint=neighbour.fingerprint)
    return neighbour
