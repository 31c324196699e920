"""Named access checks: jurisdiction (what a user may read) and roles (what it may change).

A user reads its agency's region and everything below it; writes are allowed per role. Every
selector and service goes through these functions; templates only reflect their answers.
"""

from __future__ import annotations

from typing import cast

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from earmark.accounts.models import Role, User
from earmark.core.codes import is_region_code, is_within, jurisdiction_prefix
from earmark.core.errors import NotFound, PermissionDenied

# Which roles may be held at which agency level.
ROLES_BY_LEVEL: dict[str, frozenset[str]] = {
    "province": frozenset({Role.PROVINCE_ADMIN}),
    "city": frozenset({Role.CITY_OFFICER}),
    "county": frozenset(
        {
            Role.COUNTY_OFFICER,
            Role.OFFICIAL_VET,
            Role.VACCINATOR,
            Role.CHECKPOINT_OFFICER,
            Role.DESTINATION_STAFF,
        }
    ),
    "township": frozenset(
        {
            Role.TOWNSHIP_OFFICER,
            Role.OFFICIAL_VET,
            Role.VACCINATOR,
            Role.DESTINATION_STAFF,
            Role.FARM_VET,
        }
    ),
}

# What a farm's own veterinarian reaches (art. 13): the immunization form, his own records and
# what the form needs — not the township around his farm. Route names of pages and API.
FARM_VET_ROUTES = frozenset(
    {
        "home",
        "immunize",
        "immunization-record",
        "manifest",
        "service-worker",
        "offline",
        "outbox",
        "login",
        "logout",
        "account",
        "set_language",
        "me_get",
        "immunizations_list",
        "immunizations_create",
        "immunizations_preview",
        "vaccines_list",
        "diseases_list",
    }
)


def farm_vet_only(user: User) -> bool:
    """Whether ``user`` is a farm's own veterinarian and nothing more."""
    return bool(user.is_authenticated and user.roles == {Role.FARM_VET})


def require_farm_vet_route(user: User, route: str | None) -> None:
    """Refuse a farm's veterinarian any route beyond the immunization form's."""
    if farm_vet_only(user) and route not in FARM_VET_ROUTES:
        raise PermissionDenied()


def request_user(request: HttpRequest) -> User:
    """The user of a request that passed sign-in (``login_required``, or the API's
    authentication); typed, so that callers need no cast."""
    return cast(User, request.user)


def user_jurisdiction(user: User) -> str:
    """The region code of the user's jurisdiction; refuses users without an agency."""
    if not user.is_authenticated or not user.is_active or user.region_code is None:
        raise PermissionDenied(_("Your account is not attached to an agency."))
    return user.region_code


def can_read_region(user: User, code: str) -> bool:
    """Whether region ``code`` (well formed) lies within the user's jurisdiction."""
    region_code = user.region_code if user.is_authenticated else None
    return region_code is not None and is_region_code(code) and is_within(code, region_code)


def require_region(user: User, code: str) -> None:
    """Refuse, as if it did not exist, an object of a region outside the user's jurisdiction."""
    if not can_read_region(user, code):
        raise NotFound()


def jurisdiction_q(user: User, field: str) -> Q:
    """A filter keeping rows whose region code ``field`` lies within the user's jurisdiction."""
    return Q(**{f"{field}__startswith": jurisdiction_prefix(user_jurisdiction(user))})


def require_role(user: User, *roles: str) -> None:
    user_jurisdiction(user)
    if not user.has_role(*roles):
        raise PermissionDenied()
