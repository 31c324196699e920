"""Premises: list, registration, base information, verification, stock (its ledger is served
with the movements that write it), QR code, card and PIN, import, export and the sync with the
collection system."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from earmark.accounts.access import request_user, user_jurisdiction
from earmark.accounts.selectors import township_list
from earmark.core.http import XLSX, attachment
from earmark.farms import excel, qr, selectors
from earmark.farms.models import (
    BaseInfoSync,
    Premises,
)
from earmark.farms.schemas import (
    ImportOut,
    PinOut,
    PremisesDetailOut,
    PremisesIn,
    PremisesOut,
    PremisesPatch,
    StockSummary,
    SyncOut,
)
from earmark.farms.services import baseinfo, changes, imports
from earmark.farms.services.credentials import (
    premises_pin_issue,
    premises_pin_unlock,
    premises_qr_rotate,
)
from earmark.farms.services.registration import PremisesData, premises_register
from earmark.regions.selectors import region_get

router = Router(tags=["premises"])


# A required uploaded file, as django-ninja declares it.
UPLOAD = File(...)


@router.get("/premises", response=list[PremisesOut], summary="Premises within your jurisdiction")
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


@router.post("/premises", response={201: PremisesDetailOut}, summary="Register premises")
def premises_create(request: HttpRequest, payload: PremisesIn) -> Status[Premises]:
    created = premises_register(actor=request_user(request), data=PremisesData(**payload.dict()))
    return Status(201, selectors.premises_get(user=request_user(request), code=created.code))


@router.get("/premises/template/xlsx", summary="The workbook to fill in for an import")
def premises_template_xlsx(request: HttpRequest) -> HttpResponse:
    townships = township_list(user=request_user(request))
    return attachment(excel.template_workbook(townships=townships), XLSX, "premises-template.xlsx")


@router.post("/premises/import", response={201: ImportOut}, summary="Import a filled-in workbook")
def premises_import(request: HttpRequest, file: UploadedFile = UPLOAD) -> Status[dict[str, Any]]:
    rows = excel.read_workbook(file)
    created = imports.premises_import(actor=request_user(request), rows=rows)
    return Status(201, {"count": len(created), "codes": [p.code for p in created]})


@router.get("/premises/xlsx", summary="The filtered list as a workbook")
def premises_xlsx(
    request: HttpRequest,
    region: str = "",
    kind: str = "",
    species: str = "",
    status: str = "",
    text: str = "",
) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_list(
        user=user, region=region, kind=kind, species=species, status=status, text=text
    )
    place = region_get(code=region or user_jurisdiction(user))
    return attachment(
        excel.export_workbook(premises, region=f"{place.name}（{place.code}）"),
        XLSX,
        "premises.xlsx",
    )


@router.post(
    "/baseinfo-syncs",
    response={201: SyncOut},
    summary="Upload an export of the base-information collection system and see the diff",
)
def baseinfo_syncs_create(
    request: HttpRequest, file: UploadedFile = UPLOAD
) -> Status[BaseInfoSync]:
    sync = baseinfo.baseinfo_sync_upload(
        actor=request_user(request), content=file.read(), file_name=file.name or "upload"
    )
    return Status(201, sync)


@router.get("/baseinfo-syncs/{sync_id}", response=SyncOut, summary="An upload and its diff")
def baseinfo_syncs_get(request: HttpRequest, sync_id: int) -> BaseInfoSync:
    return selectors.baseinfo_sync_get(user=request_user(request), sync_id=sync_id)


@router.post("/baseinfo-syncs/{sync_id}/apply", response=SyncOut, summary="Apply a reviewed diff")
def baseinfo_syncs_apply(request: HttpRequest, sync_id: int) -> BaseInfoSync:
    sync = selectors.baseinfo_sync_get(user=request_user(request), sync_id=sync_id)
    return baseinfo.baseinfo_sync_apply(actor=request_user(request), sync=sync)


@router.get("/premises/{code}", response=PremisesDetailOut, summary="One premises with its stock")
def premises_get(request: HttpRequest, code: str) -> Premises:
    return selectors.premises_get(user=request_user(request), code=code)


@router.patch("/premises/{code}", response=PremisesDetailOut, summary="Change base information")
def premises_update(request: HttpRequest, code: str, payload: PremisesPatch) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    changes.premises_update(
        actor=request_user(request),
        premises=premises,
        changes=payload.dict(exclude_unset=True, exclude_none=True),
    )
    return selectors.premises_get(user=request_user(request), code=code)


@router.post(
    "/premises/{code}/verify", response=PremisesDetailOut, summary="Verify base information"
)
def premises_verify(request: HttpRequest, code: str) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    changes.premises_verify(actor=request_user(request), premises=premises)
    return selectors.premises_get(user=request_user(request), code=code)


@router.get("/premises/{code}/stock", response=StockSummary, summary="Animals on hand per species")
def premises_stock(request: HttpRequest, code: str) -> dict[str, Any]:
    premises = selectors.premises_get(user=request_user(request), code=code)
    rows = [{"species": s.species, "quantity": s.quantity} for s in premises.stock.all()]
    return {"code": premises.code, "stock": rows, "total": sum(r["quantity"] for r in rows)}


@router.get("/premises/{code}/qr/png", summary="The farm's QR code (PNG)")
def premises_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return attachment(qr.qr_png(premises), "image/png", f"{premises.code}.png")


@router.get("/premises/{code}/qr/svg", summary="The farm's QR code (SVG)")
def premises_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return attachment(qr.qr_svg(premises), "image/svg+xml", f"{premises.code}.svg")


@router.get("/premises/{code}/card/pdf", summary="The printable card (PDF)")
def premises_card_pdf(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return attachment(qr.card_pdf(premises), "application/pdf", f"{premises.code}.pdf")


@router.post(
    "/premises/{code}/pin", response=PinOut, summary="Issue a new PIN (shown only in this answer)"
)
def premises_pin(request: HttpRequest, code: str) -> dict[str, str]:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return {"pin": premises_pin_issue(actor=request_user(request), premises=premises)}


@router.post(
    "/premises/{code}/unlock-pin",
    response=PremisesDetailOut,
    summary="Forget the wrong PINs: every address waiting, and the farm if locked, may try again",
)
def premises_unlock_pin(request: HttpRequest, code: str) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    premises_pin_unlock(actor=request_user(request), premises=premises)
    return selectors.premises_get(user=request_user(request), code=code)


@router.post(
    "/premises/{code}/rotate-qr",
    response=PremisesDetailOut,
    summary="Give the farm a new QR code; the old one stops working",
)
def premises_rotate_qr(request: HttpRequest, code: str) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    premises_qr_rotate(actor=request_user(request), premises=premises)
    return selectors.premises_get(user=request_user(request), code=code)
