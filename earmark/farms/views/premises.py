"""The premises pages: list, registration, detail, edit, verification, stock, PIN and QR code,
import and base-information sync."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts.access import request_user
from earmark.accounts.models import Role, User
from earmark.accounts.selectors import township_list
from earmark.core.errors import BusinessError
from earmark.core.forms import show_error
from earmark.core.species import species_choices, species_codes
from earmark.farms import excel, selectors
from earmark.farms.forms import (
    PremisesCreateForm,
    PremisesForm,
    StockChangeForm,
    UploadForm,
)
from earmark.farms.models import Premises
from earmark.farms.services import (
    baseinfo,
    changes,
    imports,
)
from earmark.farms.services.changes import premises_update
from earmark.farms.services.credentials import (
    premises_pin_issue,
    premises_pin_unlock,
    premises_qr_rotate,
)
from earmark.farms.services.registration import EDITORS, PremisesData, premises_register
from earmark.farms.services.stock import manual_reasons
from earmark.regions.models import Region


def _townships(user: User) -> list[Region]:
    """The townships a user may put premises in: those of its jurisdiction."""
    return list(township_list(user=user))


def _may_edit(user: User) -> bool:
    return user.has_role(*EDITORS)


FILTERS = ("region", "kind", "species", "status", "text")


@login_required
def premises_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = {key: request.GET.get(key, "").strip() for key in FILTERS}
    premises = selectors.premises_list(user=user, **filters)
    page = Paginator(premises, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "farms/premises_list.html",
        {
            "page": page,
            "filters": filters,
            "townships": _townships(user),
            "kinds": Premises.Kind.choices,
            "species_choices": species_choices(),
            "statuses": Premises.Status.choices,
            "may_edit": _may_edit(user),
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def premises_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = PremisesCreateForm(request.POST or None, townships=_townships(user))
    if request.method == "POST" and form.is_valid():
        data = PremisesData(
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            township=form.cleaned_data["township"],
            owner_name=form.cleaned_data["owner_name"],
            phone=form.cleaned_data["phone"],
            id_card=form.cleaned_data["id_card"],
            address=form.cleaned_data["address"],
            scale=form.cleaned_data["scale"],
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
            stock=form.stock(),
        )
        try:
            created = premises_register(actor=user, data=data)
        except BusinessError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Premises %(code)s registered.") % {"code": created.code})
            return redirect("premises-detail", code=created.code)
    return render(
        request, "farms/premises_form.html", {"form": form, "title": _("Register premises")}
    )


@login_required
def premises_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    return render(
        request,
        "farms/premises_detail.html",
        {
            "premises": premises,
            "eligibility": selectors.premises_can_declare(premises=premises),
            "ledger": selectors.stock_ledger(premises=premises)[:10],
            "stock_form": StockChangeForm(reasons=manual_reasons(user, premises))
            if _may_edit(user)
            else None,
            "may_edit": _may_edit(user),
            "pin_held": selectors.pin_held(premises=premises),
            "may_verify": user.has_role(Role.COUNTY_OFFICER)
            and premises.status == Premises.Status.TO_VERIFY,
        },
    )


@login_required
def premises_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    form = PremisesForm(
        request.POST or None, initial=_edit_initial(premises), townships=_townships(user)
    )
    form.fields["id_card"].help_text = _("Leave empty to keep %(masked)s.") % {
        "masked": premises.id_card_masked or "—"
    }
    if request.method == "POST" and form.is_valid():
        edits = {
            key: value for key, value in form.cleaned_data.items() if key != "id_card" or value
        }
        try:
            premises_update(actor=user, premises=premises, changes=edits)
        except BusinessError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("premises-detail", code=premises.code)
    title = _("Edit %(name)s") % {"name": premises.name}
    context = {"form": form, "premises": premises, "title": title}
    return render(request, "farms/premises_form.html", context)


def _edit_initial(premises: Premises) -> dict[str, Any]:
    """The edit form as the premises stands (the ID card is never shown back)."""
    fields = ("kind", "name", "owner_name", "phone", "address", "scale", "latitude", "longitude")
    return {
        **{name: getattr(premises, name) for name in fields},
        "township": premises.township_id,
        "species": [s.species for s in premises.stock.all()],
    }


@login_required
@require_POST
def premises_verify(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    try:
        changes.premises_verify(actor=user, premises=premises)
    except BusinessError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Base information verified."))
    return redirect("premises-detail", code=code)


@login_required
def premises_ledger(request: HttpRequest, code: str) -> HttpResponse:
    premises = selectors.premises_get(user=request_user(request), code=code)
    page = Paginator(selectors.stock_ledger(premises=premises), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "farms/premises_ledger.html", {"premises": premises, "page": page})


@login_required
@require_POST
def premises_pin(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    pin = premises_pin_issue(actor=user, premises=premises)
    return render(request, "farms/premises_pin.html", {"premises": premises, "pin": pin})


@login_required
@require_POST
def premises_unlock_pin(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    premises_pin_unlock(actor=user, premises=premises)
    messages.success(request, _("Wrong PINs forgotten: the farm's page opens with its PIN again."))
    return redirect("premises-detail", code=code)


@login_required
@require_POST
def premises_rotate_qr(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    premises_qr_rotate(actor=user, premises=premises)
    messages.success(request, _("The farm has a new QR code; print its card again."))
    return redirect("premises-detail", code=code)


@login_required
def premises_import(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, object]] = []
    error_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            rows = excel.read_workbook(form.cleaned_data["file"])
            created = imports.premises_import(actor=user, rows=rows)
        except BusinessError as error:
            error_message = str(error.message)
            problems = error.detail["items"]
        else:
            messages.success(request, _("%(count)d premises imported.") % {"count": len(created)})
            return redirect("premises-list")
    return render(
        request,
        "farms/premises_import.html",
        {"form": form, "problems": problems, "error_message": error_message},
    )


@login_required
def baseinfo_upload(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sync = baseinfo.baseinfo_sync_upload(
                actor=user, content=upload.read(), file_name=upload.name
            )
        except BusinessError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("baseinfo-detail", sync_id=sync.pk)
    return render(request, "farms/baseinfo_upload.html", {"form": form})


@login_required
def baseinfo_detail(request: HttpRequest, sync_id: int) -> HttpResponse:
    user = request_user(request)
    sync = selectors.baseinfo_sync_get(user=user, sync_id=sync_id)
    if request.method == "POST":
        try:
            baseinfo.baseinfo_sync_apply(actor=user, sync=sync)
        except BusinessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The changes were applied."))
        return redirect("baseinfo-detail", sync_id=sync.pk)
    return render(request, "farms/baseinfo_detail.html", {"sync": sync})


def _attach(form: Any, error: BusinessError) -> None:
    show_error(form, error, renamed={f"stock.{s}": f"stock_{s}" for s in species_codes()})
