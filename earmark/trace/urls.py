from __future__ import annotations

from django.urls import path

from earmark.trace import views

urlpatterns = [
    path("trace/", views.trace_search, name="trace-search"),
    path("trace/tags/<str:number>/", views.trace_tag, name="trace-tag"),
    path("trace/premises/<str:code>/", views.trace_premises, name="trace-premises"),
    path("trace/investigations/new", views.investigation_new, name="investigation-new"),
    path(
        "trace/investigations/<str:number>/",
        views.investigation_detail,
        name="investigation-detail",
    ),
    path("trace/anomalies/", views.anomaly_page, name="anomalies"),
    path("trace/vehicles/<str:plate>/", views.trace_vehicle, name="trace-vehicle"),
    path("trace/cases/", views.case_list_page, name="cases"),
    path("trace/cases/new", views.case_new, name="case-new"),
    path("trace/cases/<str:number>/", views.case_detail, name="case-detail"),
    path(
        "trace/premises/<str:code>/export.xlsx",
        views.trace_premises_export,
        name="trace-premises-export",
    ),
]
