"""Anomalies in a region, each with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import User
from earmark.eartags.codes import format_tag
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import RegisteredRange, Registration, Tag
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import rows_overlapping
from earmark.immunization.models import AnimalTag
from earmark.movements.models import CheckpointCheck, ForeignReceipt, Receipt
from earmark.movements.selectors import alert_list, overdue_certificates
from earmark.quarantine.models import Declaration, Refusal
from earmark.stocktakes.models import Stocktake

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
    unanswered = list(alert_list(user=user, overdue_only=True).select_related("county")[:limit])
    if unanswered:
        found.append(
            Anomaly(
                "overdue_alert",
                _("Alerts not answered in time (art. 29)"),
                [
                    f"{a.county.name} · {a.get_kind_display()} · {_when(a.raised_at)} · {a.message}"
                    for a in unanswered
                ],
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
    found.extend(_refusals(user, limit))
    undelivered = list(
        Registration.objects.filter(
            jurisdiction_q(user, "county__code"),
            delivery__isnull=True,
            county__enabled_at__lt=F("created_at"),
        ).select_related("county")[:limit]
    )
    if undelivered:
        found.append(
            Anomaly(
                "registration_without_delivery",
                _(
                    "Tags registered after the county was switched on with no delivery from a "
                    "designated maker (art. 10–12)"
                ),
                [
                    f"{r.number} · {r.county.name} · {r.count:,} · {_when(r.created_at)}"
                    for r in undelivered
                ],
            )
        )
    late_foreign = list(
        ForeignReceipt.objects.filter(
            jurisdiction_q(user, "premises__township__code"), late=True
        ).select_related("certificate", "premises")[:limit]
    )
    if late_foreign:
        found.append(
            Anomaly(
                "late_foreign_arrival",
                _("Animals from other provinces reported more than 24 hours after arrival"),
                [
                    f"{r.certificate.number} · {r.certificate.origin} → {r.premises.name} · "
                    f"{_when(r.arrived_at)}"
                    for r in late_foreign
                ],
            )
        )
    unchecked = list(
        ForeignReceipt.objects.filter(jurisdiction_q(user, "premises__township__code"))
        .exclude(
            certificate__number__in=CheckpointCheck.objects.filter(checkpoint__isnull=False).values(
                "number"
            )
        )
        .select_related("certificate", "premises")[:limit]
    )
    if unchecked:
        found.append(
            Anomaly(
                "no_checkpoint_passage",
                _("Animals from other provinces received with no check at a designated checkpoint"),
                [
                    f"{r.certificate.number} · {r.certificate.origin} → {r.premises.name}"
                    for r in unchecked
                ],
            )
        )
    dealers = list(
        Refusal.objects.filter(jurisdiction_q(user, "county_code"), dealer__isnull=False)
        .values("dealer__code", "dealer__name")
        .annotate(refusals=Count("id"), foreign=Sum("foreign_count"))
        .order_by("-refusals", "dealer__code")[:limit]
    )
    if dealers:
        found.append(
            Anomaly(
                "dealer_refusals",
                _("Dealers named on refused declarations"),
                [
                    _("%(name)s (%(code)s): %(refusals)d refused, %(foreign)d foreign tags")
                    % {
                        "name": d["dealer__name"],
                        "code": d["dealer__code"],
                        "refusals": d["refusals"],
                        "foreign": d["foreign"] or 0,
                    }
                    for d in dealers
                ],
            )
        )
    unregistered = list(
        Declaration.objects.filter(jurisdiction_q(user, "township_code"), vehicle__isnull=True)
        .select_related("premises")
        .order_by("-created_at")[:limit]
    )
    if unregistered:
        found.append(
            Anomaly(
                "unregistered_vehicle",
                _("Declarations naming a vehicle that is not registered"),
                [f"{d.number} · {d.premises.name} · {d.vehicle_plate}" for d in unregistered],
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
    found.extend(_stocktakes(user, limit))
    return found


def _stocktakes(user: User, limit: int) -> list[Anomaly]:
    """Stocktakes whose count the ledger does not explain, the widest gap first."""
    gaps = list(
        Stocktake.objects.filter(
            jurisdiction_q(user, "township_code"), status=Stocktake.Status.TO_APPROVE
        )
        .annotate(gap=Abs(F("counted") - F("balance")))
        .select_related("premises")
        .order_by("-gap", "-taken_on")[:limit]
    )
    if not gaps:
        return []
    return [
        Anomaly(
            "stocktake_unexplained",
            _("Stocktakes the ledger does not explain, awaiting the county"),
            [
                _("%(number)s · %(premises)s · counted %(counted)d, ledger %(balance)d")
                % {
                    "number": s.number,
                    "premises": s.premises.name,
                    "counted": s.counted,
                    "balance": s.balance,
                }
                for s in gaps
            ],
        )
    ]


def _when(moment: object) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"  # type: ignore[arg-type]


def _ranges(rows: list[list[int]]) -> RangeSet:
    return RangeSet.of((first, last) for first, last in rows)


def _refusals(user: User, limit: int) -> list[Anomaly]:
    """What refused declarations and arrivals revealed: foreign or unregistered tags, more
    animals shipped than the farm held, and numbers seen that no one ever registered."""
    found: list[Anomaly] = []
    refusals = Refusal.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "premises"
    )
    tagged = list(refusals.filter(Q(unregistered_count__gt=0) | Q(foreign_count__gt=0))[:limit])
    if tagged:
        found.append(
            Anomaly(
                "refused_foreign_tags",
                _("Declarations refused for foreign or unregistered tags"),
                [
                    _(
                        "%(premises)s · %(when)s · %(unregistered)d never registered, "
                        "%(foreign)d of another township: %(tags)s"
                    )
                    % {
                        "premises": r.premises.name,
                        "when": _when(r.attempted_at),
                        "unregistered": r.unregistered_count,
                        "foreign": r.foreign_count,
                        "tags": format_ranges(
                            _ranges(r.unregistered).union(_ranges(r.foreign)), limit=3
                        ),
                    }
                    for r in tagged
                ],
            )
        )
    over = list(refusals.filter(over_stock=True)[:limit])
    if over:
        found.append(
            Anomaly(
                "over_stock",
                _("Farms that tried to ship more animals than their stock"),
                [
                    _("%(premises)s · %(when)s · %(quantity)d declared, %(on_hand)d on hand")
                    % {
                        "premises": r.premises.name,
                        "when": _when(r.attempted_at),
                        "quantity": r.quantity,
                        "on_hand": r.on_hand,
                    }
                    for r in over
                ],
            )
        )
    seen = _never_registered(user, limit)
    if seen:
        found.append(
            Anomaly(
                "never_registered",
                _("Numbers seen that were never registered"),
                [f"{format_ranges(numbers, limit=3)} · {where}" for where, numbers in seen],
            )
        )
    return found


def _never_registered(user: User, limit: int) -> list[tuple[str, RangeSet]]:
    """Numbers typed into refused declarations or found on arriving animals that lie in no
    registered range, with where each was seen."""
    seen: list[tuple[str, RangeSet]] = []
    for refusal in Refusal.objects.filter(
        jurisdiction_q(user, "township_code"), unregistered_count__gt=0
    ).select_related("premises")[:limit]:
        where = _("declaration refused at %(premises)s, %(when)s") % {
            "premises": refusal.premises.name,
            "when": _when(refusal.attempted_at),
        }
        seen.append((where, _ranges(refusal.unregistered)))
    receipts = (
        Receipt.objects.filter(jurisdiction_q(user, "township_code"))
        .exclude(extra=[])
        .select_related("premises", "certificate")[:limit]
    )
    for receipt in receipts:
        extra = _ranges(receipt.extra)
        registered = RangeSet.of(
            (row.first, row.last) for row in rows_overlapping(RegisteredRange, extra)
        )
        unknown = extra.difference(registered)
        if unknown:
            where = _("on animals arriving at %(premises)s with %(certificate)s") % {
                "premises": receipt.premises.name,
                "certificate": receipt.certificate.number,
            }
            seen.append((where, unknown))
    return seen[:limit]
