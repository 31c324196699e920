from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection

from earmark.core.species import species_forget

pytest_plugins = [
    "earmark.web.fixtures",
    "earmark.accounts.fixtures",
    "earmark.audit.fixtures",
    "earmark.farms.fixtures",
    "earmark.eartags.fixtures",
    "earmark.immunization.fixtures",
    "earmark.quarantine.fixtures",
    "earmark.rollout.fixtures",
    "earmark.exchange.fixtures",
    "earmark.core.browser",
    "earmark.error_watch",
]


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {os.environ.get('EARMARK_TEST_DATABASE') or connection.vendor}"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    # Real hashing is slow by design; tests only need it to be a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _species_read_afresh() -> Iterator[None]:
    # The species table is kept per thread between reads; a test's rolled-back additions must
    # not outlive it.
    species_forget()
    yield
    species_forget()
