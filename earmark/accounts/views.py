from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts import selectors, services, tokens
from earmark.accounts.access import request_user
from earmark.accounts.forms import PasswordChangeForm, StaffForm, TokenForm
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError
from earmark.core.forms import show_error


@login_required
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = request_user(request)
    agency = selectors.agency_get(user=user, agency_id=agency_id)
    page = Paginator(selectors.user_list(user=user, agency_id=agency.pk), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/agency_detail.html",
        {
            "agency": agency,
            "page": page,
            "may_manage": user.has_role(Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER),
        },
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Staff of the user's jurisdiction, searchable by name and role."""
    user = request_user(request)
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    users = selectors.user_list(user=user, search=search, role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff_list.html",
        {"page": page, "search": search, "role": role, "roles": Role.choices},
    )


@login_required
def staff_new(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = request_user(request)
    agency = selectors.agency_get(user=user, agency_id=agency_id)
    form = StaffForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(
                actor=user,
                agency=agency,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                roles=form.cleaned_data["roles"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                vaccinator_number=form.cleaned_data["vaccinator_number"] or None,
            )
        except BusinessError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": created.username})
            return redirect("agency-detail", agency_id=agency.pk)
    return render(request, "accounts/staff_new.html", {"agency": agency, "form": form})


@login_required
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = request_user(request)
    staff = selectors.user_get(user=user, user_id=user_id)
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "staff": staff,
            "roles": [Role(r).label for r in selectors.user_roles(staff)],
            "may_manage": user.has_role(Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER)
            and staff.pk != user.pk,
        },
    )


@login_required
@require_POST
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = request_user(request)
    staff = selectors.user_get(user=user, user_id=user_id)
    services.user_deactivate(actor=user, user=staff)
    messages.success(request, _("Account %(name)s deactivated.") % {"name": staff.username})
    return redirect("staff-detail", user_id=staff.pk)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    password_form = PasswordChangeForm(request.POST if "new_password" in request.POST else None)
    token_form = TokenForm(request.POST if "name" in request.POST else None)
    new_token = None
    posted = request.method == "POST"
    changing = posted and password_form.is_bound and password_form.is_valid()
    if changing and _password_changed(request, user, password_form):
        return redirect("account")
    if posted and token_form.is_bound and token_form.is_valid():
        name = token_form.cleaned_data["name"]
        _token, new_token = tokens.token_create(actor=user, user=user, name=name)
        token_form = TokenForm()
    context = {
        "password_form": password_form,
        "token_form": token_form,
        "new_token": new_token,
        "tokens": selectors.token_list(user=user),
    }
    return render(request, "accounts/account.html", context)


def _password_changed(request: HttpRequest, user: User, form: PasswordChangeForm) -> bool:
    try:
        services.user_change_password(
            user=user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password"],
        )
    except BusinessError as error:
        form.add_error(None, str(error.message))
        return False
    update_session_auth_hash(request, user)
    messages.success(request, _("Your password was changed."))
    return True


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request_user(request)
    token = selectors.token_get(user=user, token_id=token_id)
    tokens.token_revoke(actor=user, token=token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("account")


def _attach(form: StaffForm, error: BusinessError) -> None:
    """Show a service's field errors next to the fields they concern."""
    show_error(form, error)
