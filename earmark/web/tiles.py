"""The first thing each role sees: big tiles for its daily tasks, each with the count of what
waits for it. One query per count, whatever the jurisdiction's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from earmark.accounts.models import Role, User
from earmark.eartags.models import Holding
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_list
from earmark.immunization.models import ImmunizationRecord
from earmark.movements.models import CheckpointCheck
from earmark.movements.selectors import alert_list, destruction_pending, incoming_certificates
from earmark.quarantine.models import Declaration
from earmark.quarantine.selectors import declaration_list


@dataclass(frozen=True)
class Tile:
    label: Promise
    url: str
    count: int | None = None
    # A count that asks for action is shown as such (red badge); others are plain figures.
    waiting: bool = False


def declaration_counts(user: User) -> dict[str, int]:
    """Open declarations of the user's jurisdiction by status: what waits for the station
    and for the vet (one grouped query, shared with the home page's figures)."""
    return dict(
        declaration_list(user=user, status="submitted,accepted,inspected")
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def tiles_for(user: User, declarations: dict[str, int] | None = None) -> list[Tile]:
    tiles: list[Tile] = []
    today = timezone.localdate()
    if user.has_role(Role.VACCINATOR):
        held = Holding.objects.filter(vaccinator=user, state=Holding.State.AVAILABLE).aggregate(
            n=Sum(F("last") - F("first") + 1)
        )["n"]
        done = ImmunizationRecord.objects.filter(vaccinator=user, vaccinated_on=today).count()
        tiles += [
            Tile(_("Record an immunization"), reverse("immunize")),
            Tile(_("My tags"), reverse("tags-inventory"), held or 0),
            Tile(_("My records today"), reverse("immunize"), done),
        ]
    if user.has_role(Role.TOWNSHIP_OFFICER, Role.OFFICIAL_VET, Role.COUNTY_OFFICER):
        counts = declaration_counts(user) if declarations is None else declarations
        queue = reverse("quarantine-queue")
        if user.has_role(Role.TOWNSHIP_OFFICER):
            waiting = counts.get(Declaration.Status.SUBMITTED, 0)
            tiles.append(
                Tile(_("Declarations to accept"), f"{queue}?status=submitted", waiting, True)
            )
        if user.has_role(Role.OFFICIAL_VET):
            tiles += [
                Tile(
                    _("To inspect"),
                    f"{queue}?status=accepted",
                    counts.get(Declaration.Status.ACCEPTED, 0),
                    True,
                ),
                Tile(
                    _("Certificates to issue"),
                    f"{queue}?status=inspected",
                    counts.get(Declaration.Status.INSPECTED, 0),
                    True,
                ),
                Tile(
                    _("Slaughter inspection"),
                    reverse("receive-slaughter"),
                    incoming_certificates(user=user, slaughter=True).count(),
                    True,
                ),
            ]
    if user.has_role(Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER):
        tiles.append(
            Tile(
                _("Arrivals to receive"),
                reverse("receive-arrival"),
                incoming_certificates(user=user, slaughter=False).count(),
                True,
            )
        )
    if user.has_role(Role.CHECKPOINT_OFFICER):
        checked = CheckpointCheck.objects.filter(
            checked_by=user, checked_at__gte=timezone.now() - timedelta(hours=24)
        ).count()
        tiles += [
            Tile(_("Check a certificate"), reverse("checkpoint")),
            Tile(_("Checks in the last 24 hours"), reverse("checkpoint"), checked),
        ]
    if user.has_role(Role.COUNTY_OFFICER):
        to_verify = premises_list(user=user).filter(status=Premises.Status.TO_VERIFY).count()
        pending = destruction_pending(user=user)
        tiles += [
            Tile(
                _("Farms to verify"),
                f"{reverse('premises-list')}?status={Premises.Status.TO_VERIFY}",
                to_verify,
                True,
            ),
            Tile(
                _("Open alerts"),
                reverse("alerts"),
                alert_list(user=user, open_only=True).count(),
                True,
            ),
            Tile(
                _("Tags to destroy"),
                reverse("tags-destruction"),
                pending.recovered.count + pending.voided_count,
                True,
            ),
        ]
    if user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER):
        tiles += [
            Tile(_("Rollout"), reverse("rollout")),
            Tile(_("Statistics"), reverse("statistics")),
            Tile(_("Bulletin"), reverse("bulletins")),
        ]
    return tiles
