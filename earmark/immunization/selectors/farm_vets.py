"""The farms' own veterinarians approved by the county (Order 13 art. 13)."""

from __future__ import annotations

from django.db.models import QuerySet

from earmark.accounts.access import (
    farm_vet_only,
    jurisdiction_q,
)
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.immunization.models import (
    FarmVet,
)


def farm_vet_list(*, user: User) -> QuerySet[FarmVet]:
    """The approvals of farm veterinarians in the user's jurisdiction (a farm veterinarian:
    his own)."""
    approvals = FarmVet.objects.select_related("user", "premises")
    if farm_vet_only(user):
        return approvals.filter(user=user).order_by("-approved_at", "-id")
    return approvals.filter(jurisdiction_q(user, "premises__township__code")).order_by(
        "-approved_at", "-id"
    )


def farm_vet_get(*, user: User, approval_id: int) -> FarmVet:
    found = farm_vet_list(user=user).filter(pk=approval_id).first()
    if found is None:
        raise NotFound()
    return found


def farm_vet_premises(*, user: User) -> list[tuple[str, str]]:
    """The farms a farm veterinarian is approved for, for the immunization form's select."""
    rows = (
        FarmVet.objects.filter(user=user, status=FarmVet.Status.APPROVED)
        .select_related("premises")
        .order_by("premises__name")
    )
    return [(a.premises.code, f"{a.premises.name}（{a.premises.code}）") for a in rows]
