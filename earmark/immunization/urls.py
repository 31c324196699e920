from __future__ import annotations

from django.urls import path

from earmark.immunization import views

urlpatterns = [
    path("immunize/", views.immunize, name="immunize"),
    path("immunize/records/<str:number>/", views.record, name="immunization-record"),
    path(
        "premises/<str:code>/immunizations", views.premises_history, name="premises-immunizations"
    ),
    path("animals/<str:tag>/", views.animal, name="animal"),
    path("vaccines/", views.vaccines, name="vaccines"),
    path("species/", views.species_page, name="species"),
    path("immunize/farm-vets/", views.farm_vets_page, name="farm-vets"),
]
