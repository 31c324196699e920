"""What a farm does under its own token: sign in with its QR code and PIN, read itself, give the
token up."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from earmark.core.http import client_address
from earmark.farms import selectors
from earmark.farms.models import (
    FarmToken,
    Premises,
)
from earmark.farms.schemas import (
    FarmTokenIn,
    FarmTokenOut,
    PremisesDetailOut,
)
from earmark.farms.services import credentials
from earmark.farms.tokens import FarmTokenAuth, request_farm

farm_router = Router(tags=["farm"])


@farm_router.post(
    "/farm/tokens",
    response={201: FarmTokenOut},
    auth=None,
    summary="The farm's own API token, for its QR code and PIN",
    description=(
        "Send it as `Authorization: Bearer fm_...` to the `/farm` operations: they do what the "
        "farm's phone page does, for that farm only. A wrong PIN counts as on the page: from "
        "one address, the fifth and every further wrong PIN make that address wait (1 minute, "
        "then doubling, up to an hour); a new PIN or QR code retires the farm's tokens."
    ),
)
def farm_tokens_create(request: HttpRequest, payload: FarmTokenIn) -> Status[FarmToken]:
    token, raw = credentials.farm_token_create(
        qr_token=payload.qr_token,
        pin=payload.pin,
        name=payload.name,
        source=client_address(request),
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
