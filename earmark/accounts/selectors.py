from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from earmark.accounts.access import jurisdiction_q, require_region, user_jurisdiction
from earmark.accounts.models import Agency, ApiToken, User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.regions.models import Region


def township_list(*, user: User) -> QuerySet[Region]:
    """The townships of the user's jurisdiction, in code order."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    return Region.objects.filter(level=Region.Level.TOWNSHIP, code__startswith=prefix).order_by(
        "code"
    )


def agency_list(
    *, user: User, region: str | None = None, level: str | None = None
) -> QuerySet[Agency]:
    """Agencies within the user's jurisdiction, optionally below ``region`` and of one level."""
    agencies = Agency.objects.filter(jurisdiction_q(user, "region__code")).select_related("region")
    if region:
        require_region(user, region)
        agencies = agencies.filter(region__code__startswith=jurisdiction_prefix(region))
    if level:
        agencies = agencies.filter(level=level)
    return agencies.order_by("region_id")


def agencies_of(*, regions: list[Region]) -> dict[str, Agency]:
    """Each region's agency, by region code (regions without one are left out)."""
    return {agency.region_id: agency for agency in Agency.objects.filter(region__in=regions)}


def agency_get(*, user: User, agency_id: int) -> Agency:
    agency = Agency.objects.select_related("region").filter(pk=agency_id).first()
    if agency is None:
        raise NotFound()
    require_region(user, agency.region_id)
    return agency


def user_list(
    *,
    user: User,
    agency_id: int | None = None,
    search: str = "",
    role: str = "",
    active_only: bool = False,
) -> QuerySet[User]:
    """Staff within the user's jurisdiction, with agency and roles loaded."""
    users = (
        User.objects.filter(jurisdiction_q(user, "agency__region__code"))
        .select_related("agency__region", "vaccinator")
        .prefetch_related("role_assignments")
    )
    if agency_id is not None:
        users = users.filter(agency_id=agency_id)
    if search:
        users = users.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    if role:
        users = users.filter(role_assignments__role=role)
    if active_only:
        users = users.filter(is_active=True)
    return users.order_by("agency__region_id", "username")


def user_get(*, user: User, user_id: int) -> User:
    found = (
        User.objects.select_related("agency__region", "vaccinator")
        .prefetch_related("role_assignments")
        .filter(pk=user_id, agency__isnull=False)
        .first()
    )
    if found is None or found.agency is None:
        raise NotFound()
    require_region(user, found.agency.region_id)
    return found


def user_roles(user: User) -> list[str]:
    """Roles of a user whose assignments were prefetched (no query per user in lists)."""
    return sorted(assignment.role for assignment in user.role_assignments.all())


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_get(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_related("user__agency").filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    if token.user_id != user.pk:
        require_region(user, token.user.region_code or "")
    return token


def agency_staff_counts(*, user: User) -> dict[str, int]:
    """How many agencies of each level and active users lie within the user's jurisdiction."""
    by_level = dict(
        Agency.objects.filter(jurisdiction_q(user, "region__code"))
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    by_level["users"] = User.objects.filter(
        jurisdiction_q(user, "agency__region__code"), is_active=True
    ).count()
    return by_level
