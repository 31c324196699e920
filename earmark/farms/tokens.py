"""A farm's API tokens at work: which farm a bearer token opens (``FarmTokenAuth`` on the farm's
own operations), and the scope a repeated request is remembered in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from earmark.accounts.tokens import token_authenticate
from earmark.core.tokens import token_matches, token_prefix, token_touch
from earmark.farms.models import FarmToken, Premises
from earmark.farms.services.credentials import FARM_TOKEN_PREFIX


def farm_token_find(raw: str) -> FarmToken | None:
    """The active token a raw farm token is, with its premises, or None."""
    prefix = token_prefix(raw, FARM_TOKEN_PREFIX)
    if prefix is None:
        return None
    token = (
        FarmToken.objects.select_related("premises__township")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not token_matches(raw, token.key_hash):
        return None
    token_touch(token)
    return token


class FarmTokenAuth(HttpBearer):
    """``Authorization: Bearer fm_...``: the farm's own operations, for that farm only.
    ``request.auth`` is then the token, and ``request.auth.premises`` the farm."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return farm_token_find(token)


def request_farm(request: HttpRequest) -> Premises:
    """The farm whose token signed the request (on operations behind ``FarmTokenAuth``)."""
    token: FarmToken = request.auth  # type: ignore[attr-defined]
    return token.premises


def bearer_scope(raw: str) -> str | None:
    """The scope an Idempotency-Key of a bearer request is remembered in: its staff user, or
    its farm (see ``core.idempotency``)."""
    user = token_authenticate(raw)
    if user is not None:
        return f"user:{user.pk}"
    farm_token = farm_token_find(raw)
    return f"premises:{farm_token.premises_id}" if farm_token is not None else None
