from __future__ import annotations

from django.urls import path

from earmark.regions import views

urlpatterns = [
    path("", views.region_home, name="region-home"),
    path("<str:code>/", views.region_detail, name="region-detail"),
]
