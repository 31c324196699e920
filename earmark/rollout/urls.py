from __future__ import annotations

from django.urls import path

from earmark.rollout import views

urlpatterns = [
    path("rollout/", views.dashboard, name="rollout"),
    path(
        "rollout/counties/<str:code>/<str:action>",
        views.county_action,
        name="rollout-county-action",
    ),
    path("rollout/terminals/", views.terminals, name="terminals"),
    path("rollout/trainings/", views.trainings, name="trainings"),
    path("rollout/statistics/", views.statistics_page, name="statistics"),
    path("rollout/statistics.xlsx", views.statistics_export, name="statistics-export"),
    path("rollout/bulletins/", views.bulletins, name="bulletins"),
    path("rollout/bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("rollout/bulletins/<int:pk>.pdf", views.bulletin_pdf, name="bulletin-pdf"),
    path("rollout/progress/", views.progress_page, name="progress"),
    path("rollout/progress/<int:round_id>/", views.progress_round, name="progress-round"),
    path("rollout/inspections/", views.inspections_page, name="inspections"),
    path("rollout/organisation/", views.organisation_page, name="organisation"),
    path("rollout/inspections/<int:inspection_id>/", views.inspection_page, name="inspection"),
]
