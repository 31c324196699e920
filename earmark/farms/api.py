from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import field_validator

from earmark.accounts.access import request_user
from earmark.accounts.selectors import township_list
from earmark.core.http import XLSX, attachment
from earmark.core.schemas import In, one_of
from earmark.core.species import Species
from earmark.farms import excel, qr, selectors
from earmark.farms.models import BaseInfoSync, FarmToken, Premises, StockChange
from earmark.farms.services import baseinfo, changes, credentials, imports, stock
from earmark.farms.services.changes import premises_update
from earmark.farms.services.credentials import premises_pin_issue, premises_qr_rotate
from earmark.farms.services.registration import PremisesData, premises_register
from earmark.farms.tokens import FarmTokenAuth, request_farm

router = Router(tags=["premises"])
# A required uploaded file, as django-ninja declares it.
UPLOAD = File(...)


class StockOut(Schema):
    species: str
    quantity: int


class PremisesOut(Schema):
    code: str
    kind: str
    name: str
    owner_name: str
    phone: str
    id_card_masked: str
    township_code: str
    township_name: str
    county_code: str
    address: str
    scale: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    external_id: str
    status: str
    verified_at: datetime | None
    stock: list[StockOut]

    @staticmethod
    def resolve_township_code(premises: Premises) -> str:
        return premises.township_id

    @staticmethod
    def resolve_township_name(premises: Premises) -> str:
        return premises.township.name

    @staticmethod
    def resolve_stock(premises: Premises) -> list[dict[str, Any]]:
        return [{"species": s.species, "quantity": s.quantity} for s in premises.stock.all()]


class PremisesDetailOut(PremisesOut):
    farm_page_url: str
    can_declare: bool
    cannot_declare_because: list[str]

    @staticmethod
    def resolve_farm_page_url(premises: Premises) -> str:
        return qr.farm_page_url(premises)

    @staticmethod
    def resolve_can_declare(premises: Premises) -> bool:
        return selectors.premises_can_declare(premises=premises).ok

    @staticmethod
    def resolve_cannot_declare_because(premises: Premises) -> list[str]:
        return selectors.premises_can_declare(premises=premises).reasons


class StockIn(In):
    species: str
    quantity: int


class PremisesIn(In):
    keeps_in = Premises
    kind: str = one_of(Premises.Kind.values)
    name: str
    township: str
    owner_name: str = ""
    phone: str = ""
    id_card: str = ""
    address: str = ""
    scale: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    stock: list[StockIn] | dict[str, int] = Field(
        [],
        validate_default=True,
        description=(
            'animals on hand per species, as answered: `[{"species": "pig", '
            '"quantity": 30}]` (the older `{"pig": 30}` is accepted too)'
        ),
    )
    external_id: str = ""

    @field_validator("stock", mode="after")
    @classmethod
    def _stock_by_species(cls, value: list[StockIn] | dict[str, int]) -> dict[str, int]:
        if isinstance(value, dict):
            return value
        by_species: dict[str, int] = {}
        for line in value:
            if line.species in by_species:
                raise ValueError(_("%(code)s is listed twice.") % {"code": line.species})
            by_species[line.species] = line.quantity
        return by_species


class PremisesPatch(In):
    """Only the fields given change; a field given as null is left as it is."""

    keeps_in = Premises

    kind: str | None = None
    name: str | None = None
    township: str | None = None
    owner_name: str | None = None
    phone: str | None = None
    id_card: str | None = None
    address: str | None = None
    scale: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    species: list[str] | None = None
    external_id: str | None = None


class StockChangeIn(In):
    keeps_in = StockChange
    species: Species
    delta: int
    reason: StockChange.Reason
    note: str = ""


class StockChangeOut(Schema):
    id: int
    species: str
    delta: int
    balance: int
    reason: str
    actor: str | None
    document_type: str
    document_id: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_actor(change: StockChange) -> str | None:
        return change.actor.username if change.actor else None


class StockSummary(Schema):
    code: str
    stock: list[StockOut]
    total: int


class PinOut(Schema):
    pin: str


class ImportOut(Schema):
    count: int
    codes: list[str]


class SyncOut(Schema):
    id: int
    county_code: str
    file_name: str
    created_at: datetime
    applied_at: datetime | None
    diff: dict[str, Any]

    @staticmethod
    def resolve_county_code(sync: BaseInfoSync) -> str:
        return sync.county_id


@router.get("", response=list[PremisesOut], summary="Premises within your jurisdiction")
@paginate
def premises_list(
    request: HttpRequest,
    region: str = "",
    kind: str = "",
    species: str = "",
    status: str = "",
    text: str = "",
) -> object:
    return selectors.premises_list(
        user=request_user(request),
        region=region,
        kind=kind,
        species=species,
        status=status,
        text=text,
    )


@router.post("", response={201: PremisesDetailOut}, summary="Register premises")
def premises_create(request: HttpRequest, payload: PremisesIn) -> Status[Premises]:
    created = premises_register(actor=request_user(request), data=PremisesData(**payload.dict()))
    return Status(201, selectors.premises_get(user=request_user(request), code=created.code))


@router.get("/template.xlsx", summary="The workbook to fill in for an import")
def premises_template(request: HttpRequest) -> HttpResponse:
    townships = township_list(user=request_user(request))
    return attachment(excel.template_workbook(townships=townships), XLSX, "premises-template.xlsx")


@router.post("/import", response={201: ImportOut}, summary="Import a filled-in workbook")
def premises_import(request: HttpRequest, file: UploadedFile = UPLOAD) -> Status[dict[str, Any]]:
    rows = excel.read_workbook(file)
    created = imports.premises_import(actor=request_user(request), rows=rows)
    return Status(201, {"count": len(created), "codes": [p.code for p in created]})


@router.get("/export.xlsx", summary="The filtered list as a workbook")
def premises_export(
    request: HttpRequest,
    region: str = "",
    kind: str = "",
    species: str = "",
    status: str = "",
    text: str = "",
) -> HttpResponse:
    premises = selectors.premises_list(
        user=request_user(request),
        region=region,
        kind=kind,
        species=species,
        status=status,
        text=text,
    )
    return attachment(
        excel.export_workbook(premises.iterator(chunk_size=2000)), XLSX, "premises.xlsx"
    )


@router.post(
    "/baseinfo-syncs",
    response={201: SyncOut},
    summary="Upload an export of the base-information collection system and see the diff",
)
def baseinfo_upload(request: HttpRequest, file: UploadedFile = UPLOAD) -> Status[BaseInfoSync]:
    sync = baseinfo.baseinfo_sync_upload(
        actor=request_user(request), content=file.read(), file_name=file.name or "upload"
    )
    return Status(201, sync)


@router.get("/baseinfo-syncs/{sync_id}", response=SyncOut, summary="An upload and its diff")
def baseinfo_detail(request: HttpRequest, sync_id: int) -> BaseInfoSync:
    return baseinfo.baseinfo_sync_get(user=request_user(request), sync_id=sync_id)


@router.post("/baseinfo-syncs/{sync_id}/apply", response=SyncOut, summary="Apply a reviewed diff")
def baseinfo_apply(request: HttpRequest, sync_id: int) -> BaseInfoSync:
    sync = baseinfo.baseinfo_sync_get(user=request_user(request), sync_id=sync_id)
    return baseinfo.baseinfo_sync_apply(actor=request_user(request), sync=sync)


@router.get("/{code}", response=PremisesDetailOut, summary="One premises with its stock")
def premises_detail(request: HttpRequest, code: str) -> Premises:
    return selectors.premises_get(user=request_user(request), code=code)


@router.patch("/{code}", response=PremisesDetailOut, summary="Change base information")
def premises_patch(request: HttpRequest, code: str, payload: PremisesPatch) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    premises_update(
        actor=request_user(request),
        premises=premises,
        changes=payload.dict(exclude_unset=True, exclude_none=True),
    )
    return selectors.premises_get(user=request_user(request), code=code)


@router.post("/{code}/verify", response=PremisesDetailOut, summary="Verify base information")
def premises_verify(request: HttpRequest, code: str) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    changes.premises_verify(actor=request_user(request), premises=premises)
    return selectors.premises_get(user=request_user(request), code=code)


@router.get("/{code}/stock", response=StockSummary, summary="Animals on hand per species")
def premises_stock(request: HttpRequest, code: str) -> dict[str, Any]:
    premises = selectors.premises_get(user=request_user(request), code=code)
    rows = [{"species": s.species, "quantity": s.quantity} for s in premises.stock.all()]
    return {"code": premises.code, "stock": rows, "total": sum(r["quantity"] for r in rows)}


@router.get("/{code}/stock-changes", response=list[StockChangeOut], summary="The stock ledger")
@paginate
def premises_ledger(request: HttpRequest, code: str, species: str = "") -> object:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return selectors.stock_ledger(premises=premises, species=species)


@router.post(
    "/{code}/stock-changes", response={201: StockChangeOut}, summary="Record a change of stock"
)
def premises_stock_change(
    request: HttpRequest, code: str, payload: StockChangeIn
) -> Status[StockChange]:
    premises = selectors.premises_get(user=request_user(request), code=code)
    change = stock.stock_change(actor=request_user(request), premises=premises, **payload.dict())
    return Status(201, change)


@router.get("/{code}/qr.png", summary="The farm's QR code (PNG)")
def premises_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return attachment(qr.qr_png(premises), "image/png", f"{premises.code}.png")


@router.get("/{code}/qr.svg", summary="The farm's QR code (SVG)")
def premises_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return attachment(qr.qr_svg(premises), "image/svg+xml", f"{premises.code}.svg")


@router.get("/{code}/card.pdf", summary="The printable card (PDF)")
def premises_card(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return attachment(qr.card_pdf(premises), "application/pdf", f"{premises.code}.pdf")


@router.post("/{code}/pin", response=PinOut, summary="Issue a new PIN (shown only in this answer)")
def premises_pin(request: HttpRequest, code: str) -> dict[str, str]:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return {"pin": premises_pin_issue(actor=request_user(request), premises=premises)}


@router.post(
    "/{code}/rotate-qr",
    response=PremisesDetailOut,
    summary="Give the farm a new QR code; the old one stops working",
)
def premises_rotate_qr(request: HttpRequest, code: str) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    premises_qr_rotate(actor=request_user(request), premises=premises)
    return selectors.premises_get(user=request_user(request), code=code)


# --- The farm's own API: with a token obtained with its QR code and PIN -----------------------

farm_router = Router(tags=["farm"])


class FarmTokenIn(In):
    keeps_in = FarmToken
    qr_token: str = Field(description="the token of the farm's QR code: the end of its address")
    pin: str = Field(max_length=20, description="the farm's 6-digit PIN")
    name: str = Field(description="the device the token is for, e.g. 王大山的手机")


class FarmTokenOut(Schema):
    token: str = Field(description="the token, shown only in this answer")
    prefix: str
    name: str
    premises: str
    created_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_token(token: FarmToken) -> str:
        return getattr(token, "raw", "")

    @staticmethod
    def resolve_premises(token: FarmToken) -> str:
        return token.premises.code


@farm_router.post(
    "/tokens",
    response={201: FarmTokenOut},
    auth=None,
    summary="The farm's own API token, for its QR code and PIN",
    description=(
        "Send it as `Authorization: Bearer fm_...` to the `/farm` operations: they do what the "
        "farm's phone page does, for that farm only. A wrong PIN counts towards the lock as on "
        "the page; a new PIN or QR code retires the farm's tokens."
    ),
)
def farm_tokens_create(request: HttpRequest, payload: FarmTokenIn) -> Status[FarmToken]:
    token, raw = credentials.farm_token_create(
        qr_token=payload.qr_token, pin=payload.pin, name=payload.name
    )
    token.raw = raw  # type: ignore[attr-defined]
    return Status(201, token)


@farm_router.get(
    "", response=PremisesDetailOut, auth=FarmTokenAuth(), summary="The farm the token is for"
)
def farm_detail(request: HttpRequest) -> Premises:
    return selectors.premises_by_token(token=request_farm(request).qr_token)


@farm_router.delete(
    "/tokens/current",
    response=FarmTokenOut,
    auth=FarmTokenAuth(),
    summary="Give up the token this request carries",
)
def farm_token_delete(request: HttpRequest) -> FarmToken:
    return credentials.farm_token_revoke(token=request.auth)  # type: ignore[attr-defined]
