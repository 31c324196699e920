from __future__ import annotations

from functools import partial

from django.urls import include, path
from ninja.openapi.views import openapi_view

from earmark.api import api
from earmark.farms.views import farm_page

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", partial(openapi_view, api=api), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("earmark.regions.urls")),
    path("", include("earmark.immunization.urls")),
    path("", include("earmark.quarantine.urls")),
    path("", include("earmark.movements.urls")),
    path("", include("earmark.trace.urls")),
    path("", include("earmark.rollout.urls")),
    path("", include("earmark.exchange.urls")),
    path("premises/", include("earmark.farms.urls")),
    path("tags/", include("earmark.eartags.urls")),
    path("f/<str:token>/", farm_page, name="farm-page"),
    path("", include("earmark.accounts.urls")),
]

handler403 = "earmark.core.views.forbidden"
handler404 = "earmark.core.views.not_found"
