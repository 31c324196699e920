from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from earmark.accounts.access import FARM_VET_ROUTES, farm_vet_only
from earmark.core.views import forbidden


class FarmVetMiddleware:
    """A farm's own veterinarian signed in on the web reaches only the immunization form's
    pages (``FARM_VET_ROUTES``); the API applies the same rule in its authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.namespace == "api" or not farm_vet_only(request.user):  # type: ignore[arg-type]
            return None
        if match.url_name in FARM_VET_ROUTES:
            return None
        return forbidden(request)
