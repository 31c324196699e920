from __future__ import annotations

from django.urls import path

from earmark.eartags import views

urlpatterns = [
    path("", views.inventory, name="tags-inventory"),
    path("register", views.register, name="tags-register"),
    path("import", views.import_sheet, name="tags-import"),
    path("deliveries", views.deliveries, name="tags-deliveries"),
    path("makers/", views.makers_page, name="tags-makers"),
    path("orders/", views.orders_page, name="tags-orders"),
    path("issue", views.move, {"mode": "issue"}, name="tags-issue"),
    path("return", views.move, {"mode": "return"}, name="tags-return"),
    path("void", views.move, {"mode": "void"}, name="tags-void"),
    path("documents/", views.documents, name="tags-documents"),
    path("documents/<str:number>/", views.document, name="tags-document"),
    path("check", views.check, name="tags-check"),
    path("pliers/", views.pliers_page, name="tags-pliers"),
    path("number/<str:number>/", views.tag, name="tags-number"),
]
