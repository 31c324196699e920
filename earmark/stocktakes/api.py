from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.eartags.messages import read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.selectors import premises_get
from earmark.stocktakes import selectors
from earmark.stocktakes.models import Stocktake
from earmark.stocktakes.schemas import ApproveIn, ReconciliationOut, StocktakeIn, StocktakeOut
from earmark.stocktakes.services import stocktake_approve, stocktake_record

router = Router(tags=["stocktakes"])


@router.post(
    "/stocktakes",
    response={201: StocktakeOut},
    summary="Record a stocktake: animals counted and tags read on a premises",
    description="Compared at once with the ledger and the live tagged animals recorded there; "
    "every difference comes with its likely cause and the step that resolves it.",
)
def stocktakes_create(request: HttpRequest, payload: StocktakeIn) -> Status[Stocktake]:
    user = request_user(request)
    stocktake = stocktake_record(
        actor=user,
        premises=premises_get(user=user, code=payload.premises),
        species=payload.species,
        counted=payload.counted,
        read=read_numbers(payload.tags) if payload.tags.strip() else RangeSet(),
        taken_on=payload.taken_on or timezone.localdate(),
    )
    return Status(201, stocktake)


@router.get("/stocktakes", response=list[StocktakeOut], summary="Stocktakes of your jurisdiction")
@paginate
def stocktakes_list(request: HttpRequest, premises: str = "") -> Any:
    return selectors.stocktake_list(user=request_user(request), premises_code=premises)


@router.get(
    "/stocktakes/reconciliation",
    response=ReconciliationOut,
    summary="Per township: premises stocktaken in the year, discrepancies, never stocktaken",
)
def stocktakes_reconciliation(
    request: HttpRequest, year: int | None = Query(None, ge=1990, le=2100)
) -> Any:
    year = year or timezone.localdate().year
    return {
        "year": year,
        "townships": selectors.reconciliation(user=request_user(request), year=year),
    }


@router.get("/stocktakes/{number}", response=StocktakeOut, summary="One stocktake")
def stocktakes_get(request: HttpRequest, number: str) -> Stocktake:
    return selectors.stocktake_get(user=request_user(request), number=number)


@router.post(
    "/stocktakes/{number}/approve",
    response=StocktakeOut,
    summary="The county sets the ledger to what was counted",
)
def stocktakes_approve(request: HttpRequest, number: str, payload: ApproveIn) -> Stocktake:
    user = request_user(request)
    stocktake = selectors.stocktake_get(user=user, number=number)
    return stocktake_approve(actor=user, stocktake=stocktake, note=payload.note)
