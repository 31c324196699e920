from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q, require_region, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.farms.completeness import field_label, missing_fields
from earmark.farms.errors import QR_CODE_RETIRED
from earmark.farms.models import (
    BaseInfoSync,
    Checkpoint,
    Dealer,
    PinAttempts,
    Premises,
    Restriction,
    Stock,
    StockChange,
    Vehicle,
)


def premises_list(
    *,
    user: User,
    region: str = "",
    kind: str = "",
    species: str = "",
    status: str = "",
    text: str = "",
) -> QuerySet[Premises]:
    """Premises within the user's jurisdiction, filtered, with township and stock loaded."""
    premises = Premises.objects.filter(jurisdiction_q(user, "township__code"))
    if region:
        require_region(user, region)
        premises = premises.filter(township__code__startswith=jurisdiction_prefix(region))
    if kind:
        premises = premises.filter(kind=kind)
    if species:
        premises = premises.filter(stock__species=species)
    if status:
        premises = premises.filter(status=status)
    if text:
        premises = premises.filter(
            Q(name__icontains=text)
            | Q(owner_name__icontains=text)
            | Q(code__startswith=text)
            | Q(phone__startswith=text)
        )
    return (
        premises.select_related("township")
        .prefetch_related(Prefetch("stock", queryset=Stock.objects.order_by("species")))
        .order_by("code")
    )


def premises_choices(*, user: User, kinds: list[str]) -> list[tuple[str, str]]:
    """The premises of the given kinds in the user's jurisdiction, by name, for a select:
    ``(code, "name（code）")``."""
    rows = Premises.objects.filter(jurisdiction_q(user, "township__code"), kind__in=kinds)
    return [(p.code, f"{p.name}（{p.code}）") for p in rows.order_by("name")]


def disposal_plants(*, county_code: str) -> list[tuple[str, str]]:
    """The county's harmless-disposal plants, for a select: ``(code, name)``."""
    rows = Premises.objects.filter(kind=Premises.Kind.DISPOSAL, county_code=county_code)
    return [(p.code, p.name) for p in rows.order_by("name")]


def stock_by_species(*, premises: Premises) -> dict[str, int]:
    return {s.species: s.quantity for s in Stock.objects.filter(premises=premises)}


def premises_find(*, code: str) -> Premises:
    """A premises named as a destination or a disposal plant, wherever it lies: only its code,
    name and kind are used by the caller, never shown beyond them."""
    premises = Premises.objects.select_related("township").filter(code=code).first()
    if premises is None:
        raise NotFound(_("Premises %(code)s does not exist.") % {"code": code})
    return premises


def premises_get(*, user: User, code: str) -> Premises:
    premises = (
        Premises.objects.select_related("township__parent", "verified_by")
        .prefetch_related(Prefetch("stock", queryset=Stock.objects.order_by("species")))
        .filter(code=code)
        .first()
    )
    if premises is None:
        raise NotFound(_("Premises %(code)s does not exist.") % {"code": code})
    require_region(user, premises.township_id)
    return premises


def premises_by_token(*, token: str) -> Premises:
    """The premises a farm's QR code points to; a rotated token is simply not found."""
    premises = (
        Premises.objects.select_related("township")
        .prefetch_related(Prefetch("stock", queryset=Stock.objects.order_by("species")))
        .filter(qr_token=token)
        .first()
    )
    if premises is None:
        raise NotFound(code=QR_CODE_RETIRED)
    return premises


def stock_ledger(*, premises: Premises, species: str = "") -> QuerySet[StockChange]:
    changes = StockChange.objects.filter(premises=premises).select_related("actor")
    if species:
        changes = changes.filter(species=species)
    return changes.order_by("-id")


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    reasons: list[str] = field(default_factory=list)


def premises_can_declare(*, premises: Premises, has_stock: bool | None = None) -> Eligibility:
    """Whether a premises may declare animals for quarantine, and if not, every reason why.
    ``has_stock``: whether it has a stock row, where the caller has read its stock already."""
    reasons = []
    if not premises.holds_animals:
        reasons.append(
            _("Only farms, households and markets declare animals; this is a %(kind)s.")
            % {"kind": premises.get_kind_display()}
        )
    missing = missing_fields(premises, has_stock=has_stock)
    if missing:
        reasons.append(
            _("The base information is incomplete: %(fields)s.")
            % {"fields": "、".join(field_label(f) for f in missing)}
        )
    elif premises.status != Premises.Status.VERIFIED:
        reasons.append(_("The county has not verified the base information yet."))
    return Eligibility(ok=not reasons, reasons=reasons)


def baseinfo_sync_get(*, user: User, sync_id: int) -> BaseInfoSync:
    sync = BaseInfoSync.objects.select_related("county", "uploaded_by").filter(pk=sync_id).first()
    if sync is None:
        raise NotFound()
    require_region(user, sync.county_id)
    return sync


def restriction_list(*, user: User, active: bool = False) -> QuerySet[Restriction]:
    """The movement restrictions of the user's jurisdiction, newest first; ``active``: only
    those standing now."""
    rows = Restriction.objects.filter(jurisdiction_q(user, "county_code")).select_related(
        "premises", "township"
    )
    return rows.filter(_standing(timezone.now())) if active else rows


def restriction_get(*, user: User, restriction_id: int) -> Restriction:
    found = restriction_list(user=user).filter(pk=restriction_id).first()
    if found is None:
        raise NotFound()
    return found


def _standing(at: datetime, until: datetime | None = None) -> Q:
    """Restrictions standing at some moment of ``[at, until]`` (at ``at`` alone by default)."""
    return (
        Q(starts_at__lte=until or at)
        & (Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        & (Q(lifted_at__isnull=True) | Q(lifted_at__gt=at))
    )


def _distance_km(a: Premises, b: Premises) -> float:
    """The great-circle distance between two premises with coordinates."""
    lat1, lon1, lat2, lon2 = (
        math.radians(float(v or 0)) for v in (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def restrictions_standing(*, at: datetime, until: datetime | None = None) -> list[Restriction]:
    """Every restriction standing at some moment from ``at`` to ``until``, province-wide (a
    radius crosses county borders; restrictions in force are few): one query."""
    return list(Restriction.objects.filter(_standing(at, until)).select_related("premises"))


def restriction_covering(
    restrictions: list[Restriction], *, premises: Premises | None = None, township: str = ""
) -> Restriction | None:
    """The first of ``restrictions`` that covers ``premises`` (itself, its township, or a radius
    it lies in) or, for an address only, ``township``."""
    place = premises.township_id if premises is not None else township
    for restriction in restrictions:
        if restriction.kind == Restriction.Kind.TOWNSHIP and restriction.township_id == place:
            return restriction
        if premises is None:
            continue
        if restriction.kind == Restriction.Kind.PREMISES and restriction.premises_id == premises.pk:
            return restriction
        if restriction.kind == Restriction.Kind.RADIUS and _within_radius(restriction, premises):
            return restriction
    return None


def _within_radius(restriction: Restriction, premises: Premises) -> bool:
    centre = restriction.premises
    if centre is None or restriction.radius_km is None:
        return False
    if centre.pk == premises.pk:
        return True
    if None in (premises.latitude, premises.longitude, centre.latitude, centre.longitude):
        return False
    return _distance_km(centre, premises) <= float(restriction.radius_km)


def vehicle_list(*, user: User) -> QuerySet[Vehicle]:
    """The vehicles registered by the counties of the user's jurisdiction."""
    return Vehicle.objects.filter(jurisdiction_q(user, "county__code")).select_related("county")


def vehicle_by_plate(*, plate: str) -> Vehicle | None:
    """The registered vehicle of a plate, wherever registered (a declaration names any)."""
    return Vehicle.objects.filter(plate=plate).first()


def vehicle_get(*, user: User, plate: str) -> Vehicle:
    vehicle = vehicle_list(user=user).filter(plate=plate).first()
    if vehicle is None:
        raise NotFound()
    return vehicle


def dealer_list(*, user: User) -> QuerySet[Dealer]:
    """The dealers who work in the user's jurisdiction (registered there or elsewhere)."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))[:6]
    return (
        Dealer.objects.filter(counties__code__startswith=prefix)
        .distinct()
        .select_related("county")
        .prefetch_related("counties")
        .order_by("code")
    )


def dealer_get(*, user: User, code: str) -> Dealer:
    dealer = dealer_list(user=user).filter(code=code).first()
    if dealer is None:
        raise NotFound()
    return dealer


def dealer_by_code(*, code: str) -> Dealer | None:
    """A dealer named on a declaration, wherever registered, with the counties he works in."""
    return Dealer.objects.prefetch_related("counties").filter(code=code).first()


def checkpoint_list(*, user: User) -> QuerySet[Checkpoint]:
    """The province's designated checkpoints, for every officer (they are public places)."""
    user_jurisdiction(user)
    return Checkpoint.objects.select_related("county").prefetch_related("officers")


def checkpoint_get(*, user: User, code: str) -> Checkpoint:
    found = checkpoint_list(user=user).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def checkpoint_named(*, text: str) -> Checkpoint | None:
    """The active checkpoint a certificate names, by code or by name."""
    text = text.strip()
    return (
        Checkpoint.objects.filter(is_active=True).filter(Q(code=text) | Q(name=text)).first()
        if text
        else None
    )


def checkpoint_of(*, officer: User) -> Checkpoint | None:
    """Where a checkpoint officer is posted, if anywhere."""
    return officer.checkpoint_posts.filter(is_active=True).first()


def pin_held(*, premises: Premises) -> dict[str, object]:
    """Who is held up on the farm's PIN now: the addresses waiting after wrong PINs, and the
    lock of the whole farm, if any (#34)."""
    now = timezone.now()
    waiting = PinAttempts.objects.filter(premises=premises, wait_until__gt=now).count()
    until = premises.pin_locked_until
    locked = until if until and until > now else None
    return {"waiting": waiting, "locked_until": locked, "any": bool(waiting or locked)}
