from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import ROLES_BY_LEVEL, require_region, require_role
from earmark.accounts.errors import (
    OWN_ACCOUNT,
    USERNAME_TAKEN,
    VACCINATOR_NUMBER_TAKEN,
    WRONG_PASSWORD,
)
from earmark.accounts.models import Agency, Role, RoleAssignment, User, Vaccinator
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, NotFound, PermissionDenied, invalid
from earmark.core.validators import MOBILE_PROBLEM, is_mobile
from earmark.regions.models import Region

AGENCY_NAME_FORMATS = {
    Region.Level.PROVINCE: "{name}动物卫生监督所",
    Region.Level.CITY: "{name}动物卫生监督所",
    Region.Level.COUNTY: "{name}动物卫生监督所",
    Region.Level.TOWNSHIP: "{name}畜牧兽医站",
}

# Roles a county officer may grant to the staff of its county; the rest are the province's.
COUNTY_GRANTABLE = frozenset(
    {
        Role.COUNTY_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.OFFICIAL_VET,
        Role.VACCINATOR,
        Role.CHECKPOINT_OFFICER,
        Role.DESTINATION_STAFF,
        Role.FARM_VET,
    }
)
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,150}$")


@transaction.atomic
def agencies_seed(*, actor: User | None) -> int:
    """Create the missing agency of every region (one per region); returns how many."""
    existing = set(Agency.objects.values_list("region_id", flat=True))
    missing = [
        Agency(
            region=region,
            level=region.level,
            name=AGENCY_NAME_FORMATS[Region.Level(region.level)].format(name=region.name),
        )
        for region in Region.objects.exclude(code__in=existing)
    ]
    Agency.objects.bulk_create(missing, batch_size=500)
    if missing:
        audit_record(
            actor=actor,
            action="agencies.seed",
            object_type="accounts.agency",
            object_id="*",
            details={"created": len(missing)},
        )
    return len(missing)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    agency: Agency,
    username: str,
    password: str,
    roles: Iterable[str],
    full_name: str = "",
    phone: str = "",
    vaccinator_number: str | None = None,
) -> User:
    """Create a staff account in ``agency`` with ``roles``.

    ``actor`` None is the setup itself (commands); otherwise a province administrator may
    create users anywhere in the province and a county officer the staff of its county.
    """
    role_set = frozenset(roles)
    _check_may_manage(actor=actor, agency=agency, roles=role_set)
    errors = _user_problems(
        agency=agency,
        username=username,
        roles=role_set,
        phone=phone,
        vaccinator_number=vaccinator_number,
    )
    try:
        validate_password(password, User(username=username, first_name=full_name))
    except ValidationError as error:
        errors["password"] = " ".join(error.messages)
    if errors:
        raise invalid(_("The account could not be created."), errors)
    _refuse_taken(agency=agency, username=username, vaccinator_number=vaccinator_number)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                password=password,
                agency=agency,
                full_name=full_name,
                phone=phone,
            )
    except IntegrityError as error:
        raise BusinessError(
            _("The user name %(name)s is taken.") % {"name": username}, code=USERNAME_TAKEN
        ) from error
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role) for role in role_set)
    if vaccinator_number:
        _vaccinator_assign(user=user, agency=agency, number=vaccinator_number)
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        region_code=agency.region_id,
        details={"username": username, "roles": sorted(role_set), "agency": agency.pk},
    )
    return user


def _vaccinator_assign(*, user: User, agency: Agency, number: str) -> None:
    county = county_of(agency.region_id)
    if county is None:  # the roles of each level keep vaccinators in counties and townships
        raise ValueError(f"a vaccinator in agency {agency.pk}, which lies in no county")
    try:
        with transaction.atomic():
            Vaccinator.objects.create(user=user, county_id=county, number=number)
    except IntegrityError as error:
        raise BusinessError(
            _("Vaccinator number %(number)s is already used in this county.") % {"number": number},
            code=VACCINATOR_NUMBER_TAKEN,
            fields={
                "vaccinator_number": _(
                    "Vaccinator number %(number)s is already used in this county."
                )
                % {"number": number}
            },
        ) from error


def _check_may_manage(*, actor: User | None, agency: Agency, roles: frozenset[str]) -> None:
    if actor is None:
        return
    require_role(actor, Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER)
    require_region(actor, agency.region_id)
    if not actor.has_role(Role.PROVINCE_ADMIN) and not roles <= COUNTY_GRANTABLE:
        raise PermissionDenied(
            _("Only the province may grant these roles: %(roles)s.")
            % {"roles": ", ".join(str(Role(r).label) for r in sorted(roles - COUNTY_GRANTABLE))}
        )


def _user_problems(
    *,
    agency: Agency,
    username: str,
    roles: frozenset[str],
    phone: str,
    vaccinator_number: str | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _USERNAME.match(username):
        errors["username"] = _(
            "Use 3 or more letters, digits, dots, dashes or underscores for the user name."
        )
    unknown = roles - set(Role.values)
    if not roles:
        errors["roles"] = _("Choose at least one role.")
    elif unknown:
        errors["roles"] = _("Unknown roles: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}
    else:
        misplaced = roles - ROLES_BY_LEVEL[agency.level]
        if misplaced:
            errors["roles"] = _("A %(level)s cannot hold these roles: %(roles)s.") % {
                "level": agency.get_level_display(),
                "roles": ", ".join(str(Role(r).label) for r in sorted(misplaced)),
            }
    if Role.FARM_VET in roles and len(roles) > 1:
        errors["roles"] = _("A farm veterinarian works for the farm and holds no other role.")
    if phone and not is_mobile(phone):
        errors["phone"] = str(MOBILE_PROBLEM)
    if Role.VACCINATOR in roles:
        if not vaccinator_number:
            errors["vaccinator_number"] = _("A vaccinator needs a 2-digit number.")
        elif not re.fullmatch(r"\d{2}", vaccinator_number) or vaccinator_number == "00":
            errors["vaccinator_number"] = _("The vaccinator number has two digits, 01 to 99.")
    elif vaccinator_number:
        errors["vaccinator_number"] = _("Only vaccinators carry a vaccinator number.")
    return errors


def _refuse_taken(*, agency: Agency, username: str, vaccinator_number: str | None) -> None:
    """A name or number someone holds already: a conflict with what exists (409), told beside
    its field."""
    if User.objects.filter(username__iexact=username).exists():
        message = _("The user name %(name)s is taken.") % {"name": username}
        raise BusinessError(message, code=USERNAME_TAKEN, fields={"username": message})
    if (
        vaccinator_number
        and Vaccinator.objects.filter(
            county_id=county_of(agency.region_id), number=vaccinator_number
        ).exists()
    ):
        message = _("Vaccinator number %(number)s is already used in this county.") % {
            "number": vaccinator_number
        }
        raise BusinessError(
            message, code=VACCINATOR_NUMBER_TAKEN, fields={"vaccinator_number": message}
        )


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Close an account; its history stays. Its API tokens stop working with it."""
    if user.agency is None:
        raise NotFound()
    _check_may_manage(actor=actor, agency=user.agency, roles=user.roles)
    if user.pk == actor.pk:
        raise BusinessError(code=OWN_ACCOUNT)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.deactivate",
        obj=user,
        region_code=user.agency.region_id if user.agency else "",
    )
    return user


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise BusinessError(
            code=WRONG_PASSWORD, fields={"old_password": _("The current password is wrong.")}
        )
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise invalid(" ".join(error.messages), {"new_password": error.messages}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="user.change_password", obj=user)
