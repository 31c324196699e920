"""What the province and counties have of the rollout's means: terminals required and deployed,
and the training sessions held."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import Agency, User
from earmark.rollout.models import Terminal, TerminalQuota, Training


@dataclass
class TerminalCount:
    agency: Agency
    required: int
    deployed: int

    @property
    def shortfall(self) -> int:
        return max(self.required - self.deployed, 0)


def terminal_counts(*, user: User) -> list[TerminalCount]:
    """Agencies of the jurisdiction that need terminals or have some, required against
    deployed (a terminal whose token was revoked no longer counts)."""
    quotas = dict(
        TerminalQuota.objects.filter(jurisdiction_q(user, "agency__region__code")).values_list(
            "agency_id", "required"
        )
    )
    deployed = dict(
        Terminal.objects.filter(
            jurisdiction_q(user, "agency__region__code"), token__revoked_at__isnull=True
        )
        .values_list("agency_id")
        .annotate(n=Count("id"))
        .values_list("agency_id", "n")
    )
    agencies = Agency.objects.filter(pk__in=set(quotas) | set(deployed)).select_related("region")
    return [
        TerminalCount(a, quotas.get(a.pk, 0), deployed.get(a.pk, 0))
        for a in agencies.order_by("region_id")
    ]


def terminal_list(*, user: User) -> list[Terminal]:
    return list(
        Terminal.objects.filter(jurisdiction_q(user, "agency__region__code")).select_related(
            "agency", "holder", "token"
        )
    )


def training_list(*, user: User) -> list[Training]:
    return list(
        Training.objects.filter(jurisdiction_q(user, "organiser__region__code"))
        .select_related("organiser")
        .prefetch_related("attendance__agency")
    )
