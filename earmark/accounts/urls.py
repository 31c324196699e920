from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from earmark.accounts import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke", views.token_revoke, name="token-revoke"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency-detail"),
    path("agencies/<int:agency_id>/staff/new", views.staff_new, name="staff-new"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:user_id>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:user_id>/deactivate", views.staff_deactivate, name="staff-deactivate"),
]
