from __future__ import annotations

from django.urls import path

from earmark.exchange import views

urlpatterns = [
    path("exchange/", views.status_page, name="exchange-status"),
    path("exchange/dead-letters/<int:event_id>/requeue", views.requeue, name="exchange-requeue"),
]
