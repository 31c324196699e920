"""What each role sees first after signing in: its jurisdiction and its work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from earmark.accounts.models import Role, User, Vaccinator
from earmark.accounts.selectors import agency_staff_counts
from earmark.core.codes import jurisdiction_prefix
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_list
from earmark.movements.selectors import incoming_foreign
from earmark.quarantine.models import Declaration
from earmark.quarantine.selectors import CertificateFilter, certificate_list
from earmark.regions.models import Region
from earmark.web.tiles import Tile, declaration_counts, tiles_for

ROLE_WORK: dict[str, Promise] = {
    Role.PROVINCE_ADMIN: _(
        "Switch counties on, manage agencies and staff, watch statistics and issue bulletins."
    ),
    Role.CITY_OFFICER: _("Supervise the rollout and the work of your city's counties."),
    Role.COUNTY_OFFICER: _(
        "Verify farms, register the tag inventory, issue tags to townships and destroy "
        "recovered tags."
    ),
    Role.TOWNSHIP_OFFICER: _(
        "Issue tags to farms and vaccinators, and accept or reject quarantine declarations."
    ),
    Role.OFFICIAL_VET: _("Inspect animals, issue and revoke certificates, inspect at slaughter."),
    Role.VACCINATOR: _("Record immunizations and apply or replace ear tags from your stock."),
    Role.CHECKPOINT_OFFICER: _("Verify certificates and ear tags on the road."),
    Role.DESTINATION_STAFF: _("Report arrivals of animals at your slaughterhouse or farm."),
}


@dataclass
class Dashboard:
    user: User
    region: Region
    roles: list[tuple[str, Promise]] = field(default_factory=list)
    stats: list[tuple[Promise, int]] = field(default_factory=list)
    vaccinator_number: str | None = None
    # Certificates on their way into the jurisdiction (待接收), for those who receive them.
    incoming: list[Any] | None = None
    # Other provinces' certificates on their way here, told before the truck arrives.
    incoming_foreign: list[Any] = field(default_factory=list)
    may_receive: bool = False
    tiles: list[Tile] = field(default_factory=list)


def _premises_stats(user: User) -> list[tuple[Promise, int]]:
    counts = dict(
        premises_list(user=user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        (_("Premises"), sum(counts.values())),
        (_("Premises to verify"), counts.get(Premises.Status.TO_VERIFY, 0)),
        (_("Premises incomplete"), counts.get(Premises.Status.INCOMPLETE, 0)),
    ]


def _quarantine_stats(user: User, counts: dict[str, int]) -> list[tuple[Promise, int]]:
    """What waits for the station and for the vet."""
    stats: list[tuple[Promise, int]] = []
    if user.has_role(Role.TOWNSHIP_OFFICER, Role.COUNTY_OFFICER):
        stats.append((_("Declarations to accept"), counts.get(Declaration.Status.SUBMITTED, 0)))
    if user.has_role(Role.OFFICIAL_VET):
        stats.append((_("Declarations to inspect"), counts.get(Declaration.Status.ACCEPTED, 0)))
        stats.append((_("Certificates to issue"), counts.get(Declaration.Status.INSPECTED, 0)))
    return stats


RECEIVERS = (
    Role.DESTINATION_STAFF,
    Role.TOWNSHIP_OFFICER,
    Role.OFFICIAL_VET,
    Role.COUNTY_OFFICER,
)


def _incoming(user: User) -> list[Any]:
    rows = certificate_list(user=user, search=CertificateFilter(state="incoming"))
    return list(rows.order_by("valid_until", "issued_at", "id")[:10])


def dashboard_for(user: User) -> Dashboard:
    assert user.agency is not None
    region = user.agency.region
    board = Dashboard(user=user, region=region)
    declarations = declaration_counts(user)
    board.tiles = tiles_for(user, declarations)
    board.roles = [(str(Role(role).label), ROLE_WORK[role]) for role in sorted(user.roles)]
    prefix = jurisdiction_prefix(region.code)
    below = Region.objects.filter(code__startswith=prefix).exclude(code=region.code)
    level_counts = {
        level: below.filter(level=level).count() for level in ("city", "county", "township")
    }
    staff = agency_staff_counts(user=user)
    labels = {
        "city": _("Cities"),
        "county": _("Counties"),
        "township": _("Townships"),
    }
    board.stats = [(labels[level], n) for level, n in level_counts.items() if n]
    board.stats.append(
        (_("Agencies and stations"), sum(v for k, v in staff.items() if k != "users"))
    )
    board.stats.append((_("Active staff"), staff["users"]))
    board.stats.extend(_premises_stats(user))
    board.stats.extend(_quarantine_stats(user, declarations))
    if user.has_role(*RECEIVERS):
        board.incoming = _incoming(user)
        board.incoming_foreign = list(incoming_foreign(user=user)[:10])
        board.may_receive = user.has_role(
            Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER, Role.OFFICIAL_VET
        )
    vaccinator = Vaccinator.objects.filter(user=user).first()
    board.vaccinator_number = vaccinator.number if vaccinator else None
    return board
