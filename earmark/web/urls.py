from __future__ import annotations

from django.urls import path

from earmark.web import pwa, views

urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("outbox/", pwa.outbox, name="outbox"),
    path("f/<str:token>/", views.farm_page, name="farm-page"),
    path("regions/", views.region_home, name="region-home"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
]
