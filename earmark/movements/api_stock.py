"""The stock ledger's hand entries: the rows a person writes, each refused unless a document or
a person's word explains it. Slaughter lowers a slaughterhouse's stock through its batches
(``slaughter``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.farms.models import StockChange
from earmark.farms.schemas import StockChangeIn, StockChangeOut
from earmark.farms.selectors import premises_get, stock_ledger
from earmark.movements.services.stock_entries import stock_entry

stock_router = Router(tags=["movements"])


@stock_router.get(
    "/premises/{code}/stock-changes", response=list[StockChangeOut], summary="The stock ledger"
)
@paginate
def premises_stock_changes_list(request: HttpRequest, code: str, species: str = "") -> object:
    premises = premises_get(user=request_user(request), code=code)
    return stock_ledger(premises=premises, species=species)


@stock_router.post(
    "/premises/{code}/stock-changes",
    response={201: StockChangeOut},
    summary="Record a change of stock by hand",
    description="Births and home slaughter at farms and households; the county's opening "
    "balance (once per species) and corrections with their reason. Everything else is recorded "
    "by its document.",
)
def premises_stock_changes_create(
    request: HttpRequest, code: str, payload: StockChangeIn
) -> Status[StockChange]:
    user = request_user(request)
    premises = premises_get(user=user, code=code)
    return Status(201, stock_entry(actor=user, premises=premises, **payload.dict()))
