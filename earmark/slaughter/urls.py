from __future__ import annotations

from django.urls import path

from earmark.slaughter import views

urlpatterns = [
    path("slaughter/", views.batches, name="slaughter-batches"),
    path("slaughter/new", views.batch_new, name="slaughter-batch-new"),
    path("slaughter/batches/<str:number>/", views.batch_detail, name="slaughter-batch"),
    path("slaughter/products/<str:number>/", views.product_detail, name="slaughter-product"),
    path("p/<str:number>/", views.product_public, name="product-public"),
]
