"""Stocktakes as the jurisdiction reads them, and the reconciliation of its premises."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Abs

from earmark.accounts.access import jurisdiction_q
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.farms.models import Premises
from earmark.regions.models import Region
from earmark.stocktakes.models import Stocktake


def stocktake_list(*, user: User, premises_code: str = "") -> QuerySet[Stocktake]:
    rows = Stocktake.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "premises", "recorded_by"
    )
    return rows.filter(premises__code=premises_code) if premises_code else rows


def stocktake_get(*, user: User, number: str) -> Stocktake:
    found = stocktake_list(user=user).select_related("approved_by").filter(number=number).first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class TownshipReconciliation:
    code: str
    name: str
    premises: int
    stocktaken: int
    stocktakes: int
    with_differences: int
    unexplained: int
    never: int

    @property
    def discrepancy_rate(self) -> float:
        return self.with_differences / self.stocktakes if self.stocktakes else 0.0


def reconciliation(*, user: User, year: int) -> list[TownshipReconciliation]:
    """Per township of the jurisdiction: premises keeping animals, how many were stocktaken
    this year, the share of stocktakes that found differences, the head the ledger and the
    counts disagree by while the county has not approved them, and the premises never
    stocktaken; three queries whatever the size."""
    kept = Premises.objects.filter(
        jurisdiction_q(user, "township__code"),
        kind__in=[Premises.Kind.FARM, Premises.Kind.HOUSEHOLD],
    )
    premises = dict(
        kept.values_list("township_id").annotate(n=Count("id")).values_list("township_id", "n")
    )
    never = dict(
        kept.filter(stocktakes__isnull=True)
        .values_list("township_id")
        .annotate(n=Count("id"))
        .values_list("township_id", "n")
    )
    rows = {
        row["township_code"]: row
        for row in Stocktake.objects.filter(
            jurisdiction_q(user, "township_code"), taken_on__year=year
        )
        .values("township_code")
        .annotate(
            stocktaken=Count("premises", distinct=True),
            stocktakes=Count("id"),
            differing=Count("id", filter=Q(differs=True)),
            unexplained=Sum(
                Abs(F("counted") - F("balance")),
                filter=Q(status=Stocktake.Status.TO_APPROVE),
            ),
        )
    }
    codes = sorted(set(premises) | set(rows))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        TownshipReconciliation(
            code=code,
            name=names.get(code, code),
            premises=premises.get(code, 0),
            stocktaken=rows.get(code, {}).get("stocktaken", 0),
            stocktakes=rows.get(code, {}).get("stocktakes", 0),
            with_differences=rows.get(code, {}).get("differing", 0),
            unexplained=rows.get(code, {}).get("unexplained") or 0,
            never=never.get(code, 0),
        )
        for code in codes
    ]
