"""pytest fixtures: the reference data of every test database (the Jilin regions, their agencies
and the immunization catalogue), loaded once. On top, since it draws on several apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from earmark.accounts.services import agencies_seed
from earmark.immunization import defaults
from earmark.immunization.models import CompulsoryDisease, Disease, Vaccine
from earmark.regions.models import Region
from earmark.regions.services import (
    DEFAULT_ALIASES_FILE,
    DEFAULT_REGIONS_FILE,
    regions_load_files,
)


def ensure_jilin() -> None:
    """Load the reference data unless present (a transactional test empties the database):
    regions, agencies, and the immunization catalogue that a data migration loads."""
    if Region.objects.filter(code="220113001").exists():
        return
    with transaction.atomic():
        regions_load_files(regions_path=DEFAULT_REGIONS_FILE, aliases_path=DEFAULT_ALIASES_FILE)
        agencies_seed(actor=None)
        defaults.load(Disease, CompulsoryDisease, Vaccine)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        ensure_jilin()
    yield


@pytest.fixture
def jilin(db: Any) -> None:
    """The Jilin regions and every agency, for tests that need them."""
    ensure_jilin()


@pytest.fixture(autouse=True)
def _jilin_for_database_tests(request: pytest.FixtureRequest) -> None:
    """Every database test finds Jilin loaded, even right after a transactional test emptied
    the database."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("jilin")
