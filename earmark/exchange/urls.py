from __future__ import annotations

from django.urls import path

from earmark.exchange import views

# The identifiers of the EPCIS export resolve here (EARMARK_IDENTIFIER_BASE ends in /id).
urlpatterns = [
    *[
        path(
            f"id/{kind}/<str:key>",
            views.identifier_resolve,
            {"kind": kind},
            name=f"identifier-{kind}",
        )
        for kind in views.RESOLVED
    ],
    path("id/certificate/<str:key>", views.identifier_certificate, name="identifier-certificate"),
    path("id/event/<int:event_id>", views.identifier_event, name="identifier-event"),
    path(
        "id/event/<int:event_id>/<int:part>", views.identifier_event, name="identifier-event-part"
    ),
    path("id/voc/<str:term>", views.vocabulary, name="identifier-vocabulary"),
    path("exchange/", views.status_page, name="exchange-status"),
    path("exchange/dead-letters/<int:event_id>/requeue", views.requeue, name="exchange-requeue"),
    path("exchange/keys/<str:kid>/pin", views.key_pin, name="exchange-key-pin"),
    path("exchange/keys/<str:kid>/distrust", views.key_distrust, name="exchange-key-distrust"),
    path("exchange/held/<int:held_id>/retry", views.held_retry_page, name="exchange-held-retry"),
    path("exchange/held/<int:held_id>/drop", views.held_drop_page, name="exchange-held-drop"),
]
