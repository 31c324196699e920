from __future__ import annotations

from django.urls import path

from earmark.quarantine import views

urlpatterns = [
    path("quarantine/", views.queue, name="quarantine-queue"),
    path("quarantine/townships", views.townships, name="quarantine-townships"),
    path(
        "quarantine/declarations/<str:number>/", views.declaration_detail, name="declaration-detail"
    ),
    path("quarantine/certificates/", views.certificate_list, name="certificate-list"),
    path(
        "quarantine/certificates/<str:number>/", views.certificate_detail, name="certificate-detail"
    ),
    path("premises/<str:code>/declare", views.declare_for_farm, name="declare-for-farm"),
    path("f/<str:token>/declare", views.farm_declare, name="farm-declare"),
    path(
        "f/<str:token>/certificates/<str:number>.pdf",
        views.farm_certificate,
        name="farm-certificate",
    ),
    path("verify/<str:number>/", views.verify, name="certificate-verify"),
]
