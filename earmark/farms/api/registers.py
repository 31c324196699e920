"""The registers a county keeps: movement restrictions, transport vehicles, livestock dealers and
the province's designated checkpoints."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.farms import selectors
from earmark.farms.models import (
    Checkpoint,
    Dealer,
    Restriction,
    Vehicle,
)
from earmark.farms.schemas import (
    CheckpointIn,
    CheckpointOut,
    DealerIn,
    DealerOut,
    LiftIn,
    PostIn,
    RestrictionIn,
    RestrictionOut,
    SuspendIn,
    VehicleIn,
    VehicleOut,
)
from earmark.farms.services import checkpoints as checkpoints_service
from earmark.farms.services import dealers as dealers_service
from earmark.farms.services import restrictions as restrictions_service
from earmark.farms.services import vehicles as vehicles_service

restrictions_router = Router(tags=["restrictions"])


@restrictions_router.get(
    "/restrictions",
    response=list[RestrictionOut],
    summary="Movement restrictions of your jurisdiction",
)
@paginate
def restrictions_list(request: HttpRequest, active: bool = False) -> object:
    return selectors.restriction_list(user=request_user(request), active=active)


@restrictions_router.post(
    "/restrictions",
    response={201: RestrictionOut},
    summary="Place a movement restriction (封锁/限制移动)",
    description=(
        "On one premises, a township, or every premises within `radius_km` of a premises. "
        "While it stands, declarations and certificates from or to what it covers are refused "
        "with its reason. County officers, in their county."
    ),
)
def restrictions_create(request: HttpRequest, payload: RestrictionIn) -> Status[Restriction]:
    user = request_user(request)
    premises = (
        selectors.premises_get(user=user, code=payload.premises) if payload.premises else None
    )
    placed = restrictions_service.restriction_place(
        actor=user,
        data=restrictions_service.RestrictionData(
            kind=payload.kind,
            reason=payload.reason,
            premises=premises,
            township=payload.township,
            radius_km=payload.radius_km,
            investigation=payload.investigation,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
        ),
    )
    return Status(201, selectors.restriction_get(user=user, restriction_id=placed.pk))


@restrictions_router.post(
    "/restrictions/{restriction_id}/lift",
    response=RestrictionOut,
    summary="Lift a movement restriction",
)
def restrictions_lift(request: HttpRequest, restriction_id: int, payload: LiftIn) -> Restriction:
    user = request_user(request)
    restriction = selectors.restriction_get(user=user, restriction_id=restriction_id)
    restrictions_service.restriction_lift(
        actor=user, restriction=restriction, reason=payload.reason
    )
    return selectors.restriction_get(user=user, restriction_id=restriction_id)


# Livestock transport vehicles (运输车辆备案), at /api/v1/vehicles.
vehicles_router = Router(tags=["vehicles"])


@vehicles_router.get(
    "/vehicles", response=list[VehicleOut], summary="Registered transport vehicles"
)
@paginate
def vehicles_list(request: HttpRequest) -> object:
    return selectors.vehicle_list(user=request_user(request))


@vehicles_router.post(
    "/vehicles", response={201: VehicleOut}, summary="Register a transport vehicle"
)
def vehicles_create(request: HttpRequest, payload: VehicleIn) -> Status[Vehicle]:
    data = vehicles_service.VehicleData(**payload.dict())
    return Status(201, vehicles_service.vehicle_register(actor=request_user(request), data=data))


@vehicles_router.post(
    "/vehicles/{plate}/suspend", response=VehicleOut, summary="Suspend a vehicle's registration"
)
def vehicles_suspend(request: HttpRequest, plate: str, payload: SuspendIn) -> Vehicle:
    user = request_user(request)
    vehicle = selectors.vehicle_get(user=user, plate=plate)
    return vehicles_service.vehicle_suspend(actor=user, vehicle=vehicle, reason=payload.reason)


@vehicles_router.post(
    "/vehicles/{plate}/reinstate", response=VehicleOut, summary="Reinstate a suspended vehicle"
)
def vehicles_reinstate(request: HttpRequest, plate: str) -> Vehicle:
    user = request_user(request)
    vehicle = selectors.vehicle_get(user=user, plate=plate)
    return vehicles_service.vehicle_reinstate(actor=user, vehicle=vehicle)


# Livestock dealers (贩运经纪人), at /api/v1/dealers.
dealers_router = Router(tags=["dealers"])


@dealers_router.get(
    "/dealers", response=list[DealerOut], summary="Dealers working in your jurisdiction"
)
@paginate
def dealers_list(request: HttpRequest) -> object:
    return selectors.dealer_list(user=request_user(request))


@dealers_router.post("/dealers", response={201: DealerOut}, summary="Register a livestock dealer")
def dealers_create(request: HttpRequest, payload: DealerIn) -> Status[Dealer]:
    user = request_user(request)
    dealer = dealers_service.dealer_register(
        actor=user, data=dealers_service.DealerData(**payload.dict())
    )
    return Status(201, selectors.dealer_get(user=user, code=dealer.code))


@dealers_router.post("/dealers/{code}/suspend", response=DealerOut, summary="Suspend a dealer")
def dealers_suspend(request: HttpRequest, code: str, payload: SuspendIn) -> Dealer:
    user = request_user(request)
    dealer = selectors.dealer_get(user=user, code=code)
    dealers_service.dealer_suspend(actor=user, dealer=dealer, reason=payload.reason)
    return selectors.dealer_get(user=user, code=code)


@dealers_router.post(
    "/dealers/{code}/reinstate", response=DealerOut, summary="Lift a dealer's suspension"
)
def dealers_reinstate(request: HttpRequest, code: str) -> Dealer:
    user = request_user(request)
    dealer = selectors.dealer_get(user=user, code=code)
    dealers_service.dealer_reinstate(actor=user, dealer=dealer)
    return selectors.dealer_get(user=user, code=code)


# The province's designated checkpoints (指定通道), at /api/v1/checkpoints.
checkpoints_router = Router(tags=["checkpoints"])


@checkpoints_router.get(
    "/checkpoints", response=list[CheckpointOut], summary="Designated checkpoints"
)
@paginate
def checkpoints_list(request: HttpRequest) -> object:
    return selectors.checkpoint_list(user=request_user(request))


@checkpoints_router.post(
    "/checkpoints",
    response={201: CheckpointOut},
    summary="Register a designated checkpoint (province)",
)
def checkpoints_create(request: HttpRequest, payload: CheckpointIn) -> Status[Checkpoint]:
    user = request_user(request)
    fields = payload.dict()
    for name in ("latitude", "longitude"):
        value = fields[name]
        fields[name] = Decimal(str(round(value, 6))) if value is not None else None
    checkpoint = checkpoints_service.checkpoint_register(
        actor=user, data=checkpoints_service.CheckpointData(**fields)
    )
    return Status(201, selectors.checkpoint_get(user=user, code=checkpoint.code))


@checkpoints_router.post(
    "/checkpoints/{code}/officers",
    response=CheckpointOut,
    summary="Post a checkpoint officer there",
)
def checkpoints_officers_create(request: HttpRequest, code: str, payload: PostIn) -> Checkpoint:
    user = request_user(request)
    checkpoint = selectors.checkpoint_get(user=user, code=code)
    checkpoints_service.checkpoint_post(
        actor=user, checkpoint=checkpoint, username=payload.username
    )
    return selectors.checkpoint_get(user=user, code=code)
