from __future__ import annotations

from django.urls import path

from earmark.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("f/<str:token>/", views.farm_page, name="farm-page"),
    path("regions/", views.region_home, name="region-home"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
]
