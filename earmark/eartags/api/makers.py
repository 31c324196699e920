"""Designated makers, their yearly plans and the counties' orders (Order 13 art. 10–12)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.schemas import FIRST_YEAR, LAST_YEAR
from earmark.eartags.models import (
    Manufacturer,
    ProductionPlan,
    TagOrder,
)
from earmark.eartags.schemas import (
    DesignationRevokeIn,
    ManufacturerIn,
    ManufacturerOut,
    ProductionPlanIn,
    ProductionPlanOut,
    TagOrderIn,
    TagOrderOut,
)
from earmark.eartags.selectors import makers as maker_reads
from earmark.eartags.services import makers

# The province's register of designated makers and the counties' orders (Order 13 art. 10–12).
makers_router = Router(tags=["ear tags"])


@makers_router.get(
    "/manufacturers", response=list[ManufacturerOut], summary="Designated ear-tag manufacturers"
)
@paginate
def manufacturers_list(request: HttpRequest) -> object:
    return maker_reads.manufacturer_list(user=request_user(request))


@makers_router.post(
    "/manufacturers",
    response={201: ManufacturerOut},
    summary="Designate a manufacturer (province)",
)
def manufacturers_create(request: HttpRequest, payload: ManufacturerIn) -> Status[Manufacturer]:
    data = makers.ManufacturerData(**payload.dict())
    return Status(201, makers.manufacturer_register(actor=request_user(request), data=data))


@makers_router.post(
    "/manufacturers/{manufacturer_id}/revoke",
    response=ManufacturerOut,
    summary="Revoke a designation (art. 24): no further order or delivery",
)
def manufacturers_revoke(
    request: HttpRequest, manufacturer_id: int, payload: DesignationRevokeIn
) -> Manufacturer:
    user = request_user(request)
    maker = maker_reads.manufacturer_get(user=user, manufacturer_id=manufacturer_id)
    return makers.manufacturer_revoke(actor=user, manufacturer=maker, reason=payload.reason)


@makers_router.get(
    "/production-plans", response=list[ProductionPlanOut], summary="Makers' yearly production plans"
)
@paginate
def production_plans_list(
    request: HttpRequest, year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR)
) -> object:
    return maker_reads.plan_list(user=request_user(request), year=year)


@makers_router.put(
    "/production-plans",
    response={201: ProductionPlanOut},
    summary="Set a maker's plan for a year (province)",
)
def production_plans_set(request: HttpRequest, payload: ProductionPlanIn) -> Status[ProductionPlan]:
    user = request_user(request)
    maker = maker_reads.manufacturer_get(user=user, manufacturer_id=payload.manufacturer_id)
    plan = makers.plan_set(
        actor=user,
        manufacturer=maker,
        year=payload.year,
        species=payload.species,
        quantity=payload.quantity,
    )
    return Status(201, maker_reads.plan_get(user=user, plan_id=plan.pk))


@makers_router.get("/tag-orders", response=list[TagOrderOut], summary="The counties' tag orders")
@paginate
def tag_orders_list(request: HttpRequest) -> object:
    return maker_reads.order_list(user=request_user(request))


@makers_router.post(
    "/tag-orders", response={201: TagOrderOut}, summary="Order a block of numbers against a plan"
)
def tag_orders_create(request: HttpRequest, payload: TagOrderIn) -> Status[TagOrder]:
    user = request_user(request)
    plan = maker_reads.plan_get(user=user, plan_id=payload.plan_id)
    order = makers.order_place(
        actor=user,
        plan=plan,
        first=payload.first,
        last=payload.last,
        ordered_on=payload.ordered_on,
    )
    return Status(201, maker_reads.order_get(user=user, order_id=order.pk))
