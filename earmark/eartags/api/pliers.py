"""Ear-tag pliers, registered by the county and handed down and back like tags (art. 11)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.eartags.api.inventory import _holder
from earmark.eartags.models import (
    Pliers,
    PliersMove,
)
from earmark.eartags.schemas import (
    PliersIn,
    PliersMoveIn,
    PliersMoveOut,
    PliersOut,
)
from earmark.eartags.selectors import inventory as inventory_reads
from earmark.eartags.services import pliers

# Ear-tag pliers (Order 13 art. 11), at /api/v1/pliers.
pliers_router = Router(tags=["ear tags"])


@pliers_router.get("/pliers", response=list[PliersOut], summary="Ear-tag pliers and who holds them")
@paginate
def pliers_list(request: HttpRequest) -> object:
    return inventory_reads.pliers_list(user=request_user(request))


@pliers_router.post("/pliers", response={201: list[PliersOut]}, summary="Register ear-tag pliers")
def pliers_create(request: HttpRequest, payload: PliersIn) -> Status[list[Pliers]]:
    return Status(201, pliers.pliers_register(actor=request_user(request), serials=payload.serials))


@pliers_router.post(
    "/pliers/issue",
    response=list[PliersOut],
    summary="Issue pliers: county → station, station → vaccinator",
)
def pliers_issue(request: HttpRequest, payload: PliersMoveIn) -> list[Pliers]:
    user = request_user(request)
    return pliers.pliers_issue(
        actor=user, serials=payload.serials, target=_holder(user, payload.holder)
    )


@pliers_router.post(
    "/pliers/return",
    response=list[PliersOut],
    summary="Take pliers back: from a vaccinator to his station, from a station to the county",
)
def pliers_return(request: HttpRequest, payload: PliersMoveIn) -> list[Pliers]:
    user = request_user(request)
    return pliers.pliers_return(
        actor=user, serials=payload.serials, source=_holder(user, payload.holder)
    )


@pliers_router.get(
    "/pliers/{serial}/moves",
    response=list[PliersMoveOut],
    summary="One pliers' steps, oldest first",
)
@paginate
def pliers_moves_list(request: HttpRequest, serial: str) -> list[PliersMove]:
    return inventory_reads.pliers_moves(user=request_user(request), serial=serial)
