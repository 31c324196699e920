"""Reading the register of designated makers, their plans and the counties' orders."""

from __future__ import annotations

from typing import Any

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from earmark.accounts.access import jurisdiction_q, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.eartags.models import Manufacturer, ProductionPlan, Registration, TagOrder


def _sum_of(queryset: QuerySet[Any], group: str, total: Any) -> Subquery:
    return Subquery(
        queryset.values(group).annotate(n=Sum(total)).values("n"),
        output_field=IntegerField(),
    )


def manufacturer_list(*, user: User, designated: bool = False) -> QuerySet[Manufacturer]:
    """The province's register, for every officer (counties order from it); ``designated``:
    only the makers whose designation stands."""
    user_jurisdiction(user)
    makers = Manufacturer.objects.order_by("status", "name", "id")
    return makers.filter(status=Manufacturer.Status.DESIGNATED) if designated else makers


def manufacturer_get(*, user: User, manufacturer_id: int) -> Manufacturer:
    maker = manufacturer_list(user=user).filter(pk=manufacturer_id).first()
    if maker is None:
        raise NotFound()
    return maker


def plan_list(*, user: User, year: int | None = None) -> QuerySet[ProductionPlan]:
    """The makers' plans with how much of each the counties have ordered (``ordered``)."""
    user_jurisdiction(user)
    orders = TagOrder.objects.filter(plan=OuterRef("pk"))
    plans = ProductionPlan.objects.select_related("manufacturer").annotate(
        ordered=Coalesce(_sum_of(orders, "plan", F("last") - F("first") + 1), 0)
    )
    if year is not None:
        plans = plans.filter(year=year)
    return plans.order_by("-year", "manufacturer__name", "species", "id")


def plan_get(*, user: User, plan_id: int) -> ProductionPlan:
    plan = plan_list(user=user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    return plan


def order_list(*, user: User) -> QuerySet[TagOrder]:
    """The orders of the user's jurisdiction with how many of their numbers were registered
    from deliveries (``registered``)."""
    registered = Registration.objects.filter(delivery__order=OuterRef("pk"))
    return (
        TagOrder.objects.filter(jurisdiction_q(user, "county__code"))
        .select_related("plan__manufacturer", "county")
        .annotate(registered=Coalesce(_sum_of(registered, "delivery__order", "count"), 0))
        .order_by("-ordered_on", "-id")
    )


def order_get(*, user: User, order_id: int) -> TagOrder:
    order = order_list(user=user).filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    return order
