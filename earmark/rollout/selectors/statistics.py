"""Statistics per region and period: one row per region one level down, and a total. Each
figure is one grouped query, so a province-wide year costs a dozen queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earmark.accounts.access import require_region, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound
from earmark.eartags.models import Issue, Registration, TagEvent
from earmark.farms.models import Premises
from earmark.immunization.models import AnimalTag
from earmark.movements.models import CheckpointCheck, Receipt
from earmark.quarantine.models import Certificate, Declaration, Refusal
from earmark.regions.models import Region
from earmark.slaughter.models import ProductCertificate, SlaughterBatch

# (key, label): the columns of the statistics, in order.
FIGURES: list[tuple[str, Promise]] = [
    ("premises", gettext_lazy("Premises")),
    ("verified", gettext_lazy("Verified premises")),
    ("tags_registered", gettext_lazy("Tags registered")),
    ("tags_issued", gettext_lazy("Tags issued to townships")),
    ("tags_applied", gettext_lazy("Tags applied")),
    ("tags_cancelled", gettext_lazy("Tags cancelled")),
    ("tags_destroyed", gettext_lazy("Tags destroyed")),
    ("declarations_accepted", gettext_lazy("Declarations accepted")),
    ("declarations_rejected", gettext_lazy("Declarations rejected")),
    ("certificates", gettext_lazy("Certificates issued")),
    ("arrivals", gettext_lazy("Arrivals reported")),
    ("anomalies", gettext_lazy("Anomalies")),
    ("slaughter_batches", gettext_lazy("Slaughter batches")),
    ("slaughtered", gettext_lazy("Animals slaughtered")),
    ("condemned", gettext_lazy("Animals condemned")),
    ("product_certificates", gettext_lazy("Product certificates issued")),
]
ACCEPTED_STATES = ("accepted", "inspected", "failed", "certified")


@dataclass
class Row:
    code: str
    name: str
    figures: dict[str, int] = field(default_factory=dict)


@dataclass
class Statistics:
    region: Region
    since: date
    until: date
    rows: list[Row]
    total: Row
    rejected_by_reason: list[tuple[str, int]]


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(since, time.min)),
        timezone.make_aware(datetime.combine(until, time.max)),
    )


def _grouped(rows: QuerySet, code: str, value: Any = None) -> Counter[str]:  # type: ignore[type-arg]
    """``{region code: count or sum}`` of a queryset grouped by its region-code field."""
    aggregate = Sum(value) if value else Count("pk")
    return Counter(
        {
            key or "": int(n or 0)
            for key, n in rows.order_by()
            .values_list(code)
            .annotate(n=aggregate)
            .values_list(code, "n")
        }
    )


def _slaughter(prefix: str, start: datetime, end: datetime) -> dict[str, Counter[str]]:
    """Batches opened, animals slaughtered and condemned, product certificates issued (#33)."""
    batches = SlaughterBatch.objects.filter(
        township_code__startswith=prefix, opened_at__range=(start, end)
    )
    return {
        "slaughter_batches": _grouped(batches, "township_code"),
        "slaughtered": _grouped(batches, "township_code", "count"),
        "condemned": _grouped(batches, "township_code", "condemned"),
        "product_certificates": _grouped(
            ProductCertificate.objects.filter(
                batch__township_code__startswith=prefix, issued_at__range=(start, end)
            ),
            "batch__township_code",
        ),
    }


def statistics(
    *, user: User, region: str | None, since: date | None, until: date | None
) -> Statistics:
    """Figures for ``region`` (the user's jurisdiction by default) between two days."""

    code = region or user_jurisdiction(user)
    place = Region.objects.filter(code=code).first()
    if place is None:
        raise NotFound()
    require_region(user, code)
    until = until or timezone.localdate()
    since = since or until.replace(month=1, day=1)
    if since > until:
        raise BusinessError(_("The start of the period lies after its end."), code=INVALID_INPUT)
    start, end = _bounds(since, until)
    prefix = jurisdiction_prefix(code)
    children = list(Region.objects.filter(parent_id=code).order_by("code")) or [place]
    within = {"county": Q(county_code__startswith=prefix)}
    numbers = F("last") - F("first") + 1
    events = TagEvent.objects.filter(
        created_at__range=(start, end), township_code__startswith=prefix
    )
    declarations = Declaration.objects.filter(
        township_code__startswith=prefix, created_at__range=(start, end)
    )
    sources: dict[str, Counter[str]] = {
        "premises": _grouped(
            Premises.objects.filter(township__code__startswith=prefix, created_at__lte=end),
            "township_id",
        ),
        "verified": _grouped(
            Premises.objects.filter(
                township__code__startswith=prefix, created_at__lte=end, status="verified"
            ),
            "township_id",
        ),
        "tags_registered": _grouped(
            Registration.objects.filter(
                county__code__startswith=prefix, created_at__range=(start, end)
            ),
            "county_id",
            "count",
        ),
        "tags_issued": _grouped(
            Issue.objects.filter(
                within["county"],
                kind=Issue.Kind.FIRST,
                township_code__startswith=prefix,
                created_at__range=(start, end),
            ),
            "township_code",
            "count",
        ),
        "tags_applied": _grouped(
            AnimalTag.objects.filter(
                animal__premises__township__code__startswith=prefix,
                applied_on__range=(since, until),
            ),
            "animal__premises__township_id",
        ),
        "tags_cancelled": _grouped(
            events.filter(kind=TagEvent.Kind.CANCELLED), "township_code", numbers
        ),
        "tags_destroyed": _grouped(
            TagEvent.objects.filter(
                within["county"], kind=TagEvent.Kind.DESTROYED, created_at__range=(start, end)
            ),
            "county_code",
            numbers,
        ),
        "declarations_accepted": _grouped(
            declarations.filter(status__in=ACCEPTED_STATES), "township_code"
        ),
        "declarations_rejected": _grouped(
            declarations.filter(status=Declaration.Status.REJECTED), "township_code"
        ),
        "certificates": _grouped(
            Certificate.objects.filter(
                township_code__startswith=prefix, issued_at__range=(start, end)
            ),
            "township_code",
        ),
        "arrivals": _grouped(
            Receipt.objects.filter(
                township_code__startswith=prefix,
                kind=Receipt.Kind.ARRIVAL,
                arrived_at__range=(start, end),
            ),
            "township_code",
        ),
        "anomalies": _grouped(
            Refusal.objects.filter(
                township_code__startswith=prefix, attempted_at__range=(start, end)
            ),
            "township_code",
        )
        + _grouped(
            CheckpointCheck.objects.filter(
                within["county"],
                result__in=[CheckpointCheck.Result.FORGED, CheckpointCheck.Result.UNKNOWN],
                checked_at__range=(start, end),
            ),
            "county_code",
        ),
    }
    sources |= _slaughter(prefix, start, end)
    rows = [Row(child.code, child.name) for child in children]
    total = Row(place.code, place.name)
    for key, _label in FIGURES:
        counts = sources[key]
        for row in rows:
            child_prefix = jurisdiction_prefix(row.code)
            row.figures[key] = sum(n for c, n in counts.items() if c.startswith(child_prefix))
        total.figures[key] = sum(n for c, n in counts.items() if c.startswith(prefix))
    reasons = Counter(
        dict(
            declarations.filter(status=Declaration.Status.REJECTED)
            .order_by()
            .values_list("reject_reason")
            .annotate(n=Count("pk"))
            .values_list("reject_reason", "n")
        )
    )
    return Statistics(place, since, until, rows, total, reasons.most_common())
