from __future__ import annotations

from decimal import Decimal
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
    Checkpoint,
    Dealer,
    FarmToken,
    Premises,
    Restriction,
    StockChange,
    Vehicle,
)
from earmark.farms.schemas import (
    CheckpointIn,
    CheckpointOut,
    DealerIn,
    DealerOut,
    FarmTokenIn,
    FarmTokenOut,
    ImportOut,
    LiftIn,
    PinOut,
    PostIn,
    PremisesDetailOut,
    PremisesIn,
    PremisesOut,
    PremisesPatch,
    RestrictionIn,
    RestrictionOut,
    StockChangeIn,
    StockChangeOut,
    StockSummary,
    SuspendIn,
    SyncOut,
    VehicleIn,
    VehicleOut,
)
from earmark.farms.services import baseinfo, changes, credentials, imports, stock
from earmark.farms.services import checkpoints as checkpoints_service
from earmark.farms.services import dealers as dealers_service
from earmark.farms.services import restrictions as restrictions_service
from earmark.farms.services import vehicles as vehicles_service
from earmark.farms.services.credentials import premises_pin_issue, premises_qr_rotate
from earmark.farms.services.registration import PremisesData, premises_register
from earmark.farms.tokens import FarmTokenAuth, request_farm
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


@router.get(
    "/premises/{code}/stock-changes", response=list[StockChangeOut], summary="The stock ledger"
)
@paginate
def premises_stock_changes_list(request: HttpRequest, code: str, species: str = "") -> object:
    premises = selectors.premises_get(user=request_user(request), code=code)
    return selectors.stock_ledger(premises=premises, species=species)


@router.post(
    "/premises/{code}/stock-changes",
    response={201: StockChangeOut},
    summary="Record a change of stock",
)
def premises_stock_changes_create(
    request: HttpRequest, code: str, payload: StockChangeIn
) -> Status[StockChange]:
    premises = selectors.premises_get(user=request_user(request), code=code)
    change = stock.stock_change(actor=request_user(request), premises=premises, **payload.dict())
    return Status(201, change)


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
    "/premises/{code}/rotate-qr",
    response=PremisesDetailOut,
    summary="Give the farm a new QR code; the old one stops working",
)
def premises_rotate_qr(request: HttpRequest, code: str) -> Premises:
    premises = selectors.premises_get(user=request_user(request), code=code)
    premises_qr_rotate(actor=request_user(request), premises=premises)
    return selectors.premises_get(user=request_user(request), code=code)


# --- The farm's own API: with a token obtained with its QR code and PIN -----------------------

farm_router = Router(tags=["farm"])


@farm_router.post(
    "/farm/tokens",
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
    "/farm", response=PremisesDetailOut, auth=FarmTokenAuth(), summary="The farm the token is for"
)
def farm_get(request: HttpRequest) -> Premises:
    return selectors.premises_by_token(token=request_farm(request).qr_token)


@farm_router.post(
    "/farm/tokens/current/revoke",
    response=FarmTokenOut,
    auth=FarmTokenAuth(),
    summary="Give up the token this request carries",
)
def farm_tokens_current_revoke(request: HttpRequest) -> FarmToken:
    return credentials.farm_token_revoke(token=request.auth)  # type: ignore[attr-defined]


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
