"""Anomalies in a region, each with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import User
from earmark.eartags.codes import format_tag
from earmark.eartags.models import Tag
from earmark.immunization.models import AnimalTag
from earmark.movements.models import CheckpointCheck
from earmark.movements.selectors import overdue_certificates
from earmark.quarantine.models import Declaration

IN_TRANSIT_DAYS = 7


@dataclass
class Anomaly:
    kind: str
    title: str
    evidence: list[str] = field(default_factory=list)


def anomalies(*, user: User, limit: int = 50) -> list[Anomaly]:
    found: list[Anomaly] = []
    overdue = list(overdue_certificates(user=user)[:limit])
    if overdue:
        found.append(
            Anomaly(
                "overdue_certificate",
                _("Certificates past validity with no arrival"),
                [f"{c.number} · {c.premises.name} · {c.valid_until}" for c in overdue],
            )
        )
    stale = timezone.now() - timedelta(days=IN_TRANSIT_DAYS)
    transit = list(
        Tag.objects.filter(
            jurisdiction_q(user, "township_code"), state=Tag.State.IN_TRANSIT, updated_at__lt=stale
        ).values_list("number", flat=True)[:limit]
    )
    if transit:
        found.append(
            Anomaly(
                "in_transit_too_long",
                _("Tags in transit for more than %(days)d days") % {"days": IN_TRANSIT_DAYS},
                [format_tag(n) for n in transit],
            )
        )
    unvaccinated = list(
        AnimalTag.objects.filter(
            jurisdiction_q(user, "animal__premises__township__code"),
            animal__immunizations__isnull=True,
        ).values_list("tag_id", flat=True)[:limit]
    )
    if unvaccinated:
        found.append(
            Anomaly(
                "applied_without_immunization",
                _("Tags applied with no immunization recorded"),
                [format_tag(n) for n in unvaccinated],
            )
        )
    checks = list(
        CheckpointCheck.objects.filter(
            jurisdiction_q(user, "county_code"),
            result__in=[CheckpointCheck.Result.FORGED, CheckpointCheck.Result.UNKNOWN],
        )[:limit]
    )
    if checks:
        found.append(
            Anomaly(
                "forged_certificate",
                _("Certificates at checkpoints that are not genuine or unknown"),
                [
                    f"{c.number} · {c.place} · {timezone.localtime(c.checked_at):%Y-%m-%d %H:%M}"
                    for c in checks
                ],
            )
        )
    rejected = list(
        Declaration.objects.filter(
            jurisdiction_q(user, "township_code"), status=Declaration.Status.REJECTED
        ).select_related("premises")[:limit]
    )
    if rejected:
        found.append(
            Anomaly(
                "rejected_declaration",
                _("Declarations rejected by stations"),
                [f"{d.number} · {d.premises.name} · {d.reject_reason}" for d in rejected],
            )
        )
    return found
