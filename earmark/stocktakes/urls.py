from __future__ import annotations

from django.urls import path

from earmark.stocktakes import views

urlpatterns = [
    path("stocktakes/", views.stocktakes, name="stocktakes"),
    path("stocktakes/new", views.stocktake_new, name="stocktake-new"),
    path("stocktakes/<str:number>/", views.stocktake_detail, name="stocktake-detail"),
]
