from __future__ import annotations

from functools import partial

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from ninja.openapi.views import openapi_view

from earmark.api import api
from earmark.core.errors import NOT_FOUND
from earmark.core.http import error_response


def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """An address under the API that names no operation: the API's own error shape."""
    return error_response(NOT_FOUND)


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_not_found),
    # Swagger UI styles its elements inline; its scripts are still files of this server.
    path(
        "api/docs",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(partial(openapi_view, api=api)),
        name="api-docs",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("earmark.immunization.urls")),
    path("", include("earmark.quarantine.urls")),
    path("", include("earmark.movements.urls")),
    path("", include("earmark.stocktakes.urls")),
    path("", include("earmark.slaughter.urls")),
    path("", include("earmark.trace.urls")),
    path("", include("earmark.rollout.urls")),
    path("", include("earmark.exchange.urls")),
    path("premises/", include("earmark.farms.urls")),
    path("tags/", include("earmark.eartags.urls")),
    path("", include("earmark.accounts.urls")),
    path("", include("earmark.web.urls")),
]

handler403 = "earmark.core.views.forbidden"
handler404 = "earmark.core.views.not_found"
handler500 = "earmark.core.views.server_error"
