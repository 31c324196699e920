"""pytest fixtures for users: a factory and the usual pair of a county user and an outsider."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from earmark.accounts.models import Agency, Role, User
from earmark.accounts.services import user_create

TEST_PASSWORD = "correct-horse-battery"  # noqa: S105
_numbers = itertools.count(1)

MakeUser = Callable[..., User]


@pytest.fixture
def make_user(jilin: None) -> MakeUser:
    """``make_user(region="220102", roles=("county_officer",))`` through the real service."""

    def make(
        region: str = "220102",
        roles: tuple[str, ...] = (Role.COUNTY_OFFICER,),
        username: str | None = None,
        **fields: Any,
    ) -> User:
        serial = next(_numbers)
        if Role.VACCINATOR in roles and "vaccinator_number" not in fields:
            fields["vaccinator_number"] = f"{serial % 99 + 1:02d}"
        return user_create(
            actor=None,
            agency=Agency.objects.get(region_id=region),
            username=username or f"user{serial}",
            password=TEST_PASSWORD,
            roles=roles,
            full_name=fields.pop("full_name", f"User {serial}"),
            **fields,
        )

    return make


@pytest.fixture
def county_officer(make_user: MakeUser) -> User:
    """A county officer of 南关区 (220102)."""
    return make_user("220102", (Role.COUNTY_OFFICER,), username="nanguan-officer")


@pytest.fixture
def outsider(make_user: MakeUser) -> User:
    """A county officer of 宽城区 (220103), the neighbour who must see nothing of 220102."""
    return make_user("220103", (Role.COUNTY_OFFICER,), username="kuancheng-officer")


@pytest.fixture
def province_admin(make_user: MakeUser) -> User:
    return make_user("220000", (Role.PROVINCE_ADMIN,), username="province-admin")
