"""The stock ledger's hand entries and the slaughter of animals a certificate brought in:
the rows a person writes, each refused unless a document or a person's word explains it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.farms.models import StockChange
from earmark.farms.schemas import StockChangeIn, StockChangeOut
from earmark.farms.selectors import premises_get, stock_ledger
from earmark.movements.schemas import SlaughterRecordIn
from earmark.movements.services import slaughter as slaughter_service
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


@stock_router.post(
    "/slaughter-records",
    response={201: StockChangeOut},
    summary="Animals slaughtered at a slaughterhouse: its stock goes down",
)
def slaughter_records_create(
    request: HttpRequest, payload: SlaughterRecordIn
) -> Status[StockChange]:
    user = request_user(request)
    change = slaughter_service.slaughter_record(
        actor=user,
        slaughterhouse=premises_get(user=user, code=payload.premises),
        certificate=payload.certificate,
        count=payload.count,
        note=payload.note,
    )
    return Status(201, change)
