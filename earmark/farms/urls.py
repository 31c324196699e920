from __future__ import annotations

from django.urls import path

from earmark.farms import views

urlpatterns = [
    path("", views.premises_list, name="premises-list"),
    path("new", views.premises_new, name="premises-new"),
    path("import", views.premises_import, name="premises-import"),
    path("restrictions/", views.restriction_list, name="restrictions"),
    path("vehicles/", views.vehicle_list, name="vehicles"),
    path("dealers/", views.dealer_list, name="dealers"),
    path("checkpoints/", views.checkpoint_list, name="checkpoints"),
    path(
        "restrictions/<int:restriction_id>/lift",
        views.restriction_lift,
        name="restriction-lift",
    ),
    path("baseinfo/", views.baseinfo_upload, name="baseinfo-upload"),
    path("baseinfo/<int:sync_id>/", views.baseinfo_detail, name="baseinfo-detail"),
    path("<str:code>/", views.premises_detail, name="premises-detail"),
    path("<str:code>/edit", views.premises_edit, name="premises-edit"),
    path("<str:code>/verify", views.premises_verify, name="premises-verify"),
    path("<str:code>/ledger", views.premises_ledger, name="premises-ledger"),
    path("<str:code>/pin", views.premises_pin, name="premises-pin"),
    path("<str:code>/rotate-qr", views.premises_rotate_qr, name="premises-rotate-qr"),
    path("<str:code>/unlock-pin", views.premises_unlock_pin, name="premises-unlock-pin"),
]
