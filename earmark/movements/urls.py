from __future__ import annotations

from django.urls import path

from earmark.movements import views

urlpatterns = [
    path("checkpoint/", views.checkpoint, name="checkpoint"),
    path("receive/arrival", views.receive_arrival, name="receive-arrival"),
    path("receive/slaughter", views.receive_slaughter, name="receive-slaughter"),
    path(
        "quarantine/certificates/<str:number>/redirect",
        views.certificate_redirect,
        name="certificate-redirect",
    ),
    path(
        "quarantine/certificates/<str:number>/override",
        views.certificate_override,
        name="certificate-override",
    ),
    path("premises/<str:code>/deaths", views.deaths, name="premises-deaths"),
    path("premises/<str:code>/stock", views.premises_stock_change, name="premises-stock-change"),
    path("tags/destruction", views.destruction, name="tags-destruction"),
    path("alerts/", views.alerts, name="alerts"),
    path("quarantine/overdue", views.overdue, name="certificates-overdue"),
]
