from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts.access import can_read_region, request_user
from earmark.accounts.models import Role, User
from earmark.accounts.selectors import township_list
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.forms import error_lines, show_error
from earmark.core.species import species_choices, species_codes
from earmark.farms import excel, selectors
from earmark.farms.forms import (
    CheckpointForm,
    DealerForm,
    LiftForm,
    PremisesCreateForm,
    PremisesForm,
    RestrictionForm,
    StockChangeForm,
    UploadForm,
    VehicleForm,
)
from earmark.farms.models import Premises
from earmark.farms.services import (
    baseinfo,
    changes,
    checkpoints,
    dealers,
    imports,
    restrictions,
    stock,
    vehicles,
)
from earmark.farms.services.changes import premises_update
from earmark.farms.services.credentials import (
    premises_pin_issue,
    premises_qr_rotate,
)
from earmark.farms.services.registration import EDITORS, PremisesData, premises_register
from earmark.regions.models import Region
from earmark.regions.selectors import counties_within


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
            "stock_form": StockChangeForm(),
            "may_edit": _may_edit(user),
            "may_verify": user.has_role(Role.COUNTY_OFFICER)
            and premises.status == Premises.Status.TO_VERIFY,
        },
    )


@login_required
def premises_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    initial = {
        "kind": premises.kind,
        "name": premises.name,
        "owner_name": premises.owner_name,
        "phone": premises.phone,
        "township": premises.township_id,
        "address": premises.address,
        "species": [s.species for s in premises.stock.all()],
        "scale": premises.scale,
        "latitude": premises.latitude,
        "longitude": premises.longitude,
    }
    form = PremisesForm(request.POST or None, initial=initial, townships=_townships(user))
    form.fields["id_card"].help_text = _("Leave empty to keep %(masked)s.") % {
        "masked": premises.id_card_masked or "—"
    }
    if request.method == "POST" and form.is_valid():
        edits: dict[str, Any] = {
            key: value for key, value in form.cleaned_data.items() if key != "id_card" or value
        }
        try:
            premises_update(actor=user, premises=premises, changes=edits)
        except BusinessError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("premises-detail", code=premises.code)
    return render(
        request,
        "farms/premises_form.html",
        {"form": form, "premises": premises, "title": _("Edit %(name)s") % {"name": premises.name}},
    )


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
@require_POST
def premises_stock_change(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = selectors.premises_get(user=user, code=code)
    form = StockChangeForm(request.POST)
    if form.is_valid():
        try:
            stock.stock_change(actor=user, premises=premises, **form.cleaned_data)
        except BusinessError as error:
            messages.error(request, " ".join([str(error.message), *error_lines(error)]))
        else:
            messages.success(request, _("Stock change recorded."))
    else:
        messages.error(request, _("Fill in species, reason and a whole number."))
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


@login_required
def restriction_list(request: HttpRequest) -> HttpResponse:
    """Movement restrictions of the jurisdiction; a county officer places and lifts them."""
    user = request_user(request)
    may_place = user.has_role(Role.COUNTY_OFFICER)
    townships = [(t.code, f"{t.name} {t.code}") for t in _townships(user)]
    form = RestrictionForm(townships=townships)
    if request.method == "POST" and may_place:
        form = RestrictionForm(request.POST, townships=townships)
        if form.is_valid():
            data = form.cleaned_data
            try:
                premises = (
                    selectors.premises_get(user=user, code=data["premises"])
                    if data["premises"]
                    else None
                )
                placed = restrictions.restriction_place(
                    actor=user,
                    data=restrictions.RestrictionData(
                        kind=data["kind"],
                        reason=data["reason"],
                        premises=premises,
                        township=data["township"] or "",
                        radius_km=data["radius_km"],
                        investigation=data["investigation"],
                        ends_at=data["ends_at"],
                    ),
                )
            except BusinessError as error:
                show_error(form, error)
            else:
                messages.success(
                    request, _("Movement restriction %(id)d placed.") % {"id": placed.pk}
                )
                return redirect("restrictions")
    page = Paginator(selectors.restriction_list(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "farms/restrictions.html",
        {
            "page": page,
            "form": form if may_place else None,
            "lift": LiftForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def restriction_lift(request: HttpRequest, restriction_id: int) -> HttpResponse:
    user = request_user(request)
    restriction = selectors.restriction_get(user=user, restriction_id=restriction_id)
    form = LiftForm(request.POST)
    try:
        if not form.is_valid():
            raise BusinessError(_("Give the reason for lifting it."), code=INVALID_INPUT)
        restrictions.restriction_lift(
            actor=user, restriction=restriction, reason=form.cleaned_data["reason"]
        )
    except BusinessError as error:
        messages.error(request, " ".join([str(error.message), *error_lines(error)]))
    else:
        messages.success(request, _("Movement restriction %(id)d lifted.") % {"id": restriction.pk})
    return redirect("restrictions")


@login_required
def vehicle_list(request: HttpRequest) -> HttpResponse:
    """Registered transport vehicles of the jurisdiction; a county officer registers, suspends
    and reinstates them."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    action = request.POST.get("action", "register") if request.method == "POST" and county else ""
    form = VehicleForm(request.POST if action == "register" else None)
    if action in ("suspend", "reinstate"):
        vehicle = selectors.vehicle_get(user=user, plate=request.POST.get("plate", ""))
        try:
            if action == "suspend":
                vehicles.vehicle_suspend(
                    actor=user, vehicle=vehicle, reason=request.POST.get("reason", "")
                )
            else:
                vehicles.vehicle_reinstate(actor=user, vehicle=vehicle)
        except BusinessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Saved."))
        return redirect("vehicles")
    if form.is_bound and form.is_valid():
        try:
            vehicles.vehicle_register(actor=user, data=vehicles.VehicleData(**form.cleaned_data))
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Vehicle registered."))
            return redirect("vehicles")
    page = Paginator(selectors.vehicle_list(user=user), 50).get_page(request.GET.get("page"))
    return render(request, "farms/vehicles.html", {"page": page, "form": form if county else None})


@login_required
def dealer_list(request: HttpRequest) -> HttpResponse:
    """Livestock dealers working in the jurisdiction; a county officer registers, suspends and
    reinstates them."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    action = request.POST.get("action", "register") if request.method == "POST" and county else ""
    form = DealerForm(request.POST if action == "register" else None)
    if action in ("suspend", "reinstate"):
        dealer = selectors.dealer_get(user=user, code=request.POST.get("code", ""))
        try:
            if action == "suspend":
                dealers.dealer_suspend(
                    actor=user, dealer=dealer, reason=request.POST.get("reason", "")
                )
            else:
                dealers.dealer_reinstate(actor=user, dealer=dealer)
        except BusinessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Saved."))
        return redirect("dealers")
    if form.is_bound and form.is_valid():
        try:
            dealer = dealers.dealer_register(
                actor=user, data=dealers.DealerData(**form.cleaned_data)
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Dealer registered: %(code)s.") % {"code": dealer.code})
            return redirect("dealers")
    page = Paginator(selectors.dealer_list(user=user), 50).get_page(request.GET.get("page"))
    return render(request, "farms/dealers.html", {"page": page, "form": form if county else None})


@login_required
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    """The province's designated checkpoints and who is posted at each; the province registers
    them, the province or the checkpoint's county posts its officers."""
    user = request_user(request)
    province = user.has_role(Role.PROVINCE_ADMIN)
    may_post = province or user.has_role(Role.COUNTY_OFFICER)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    counties = [(r.code, r.name) for r in counties_within(prefix="")]
    form = CheckpointForm(
        request.POST if action == "register" and province else None, counties=counties
    )
    if action == "post" and may_post:
        checkpoint = selectors.checkpoint_get(user=user, code=request.POST.get("code", ""))
        try:
            checkpoints.checkpoint_post(
                actor=user, checkpoint=checkpoint, username=request.POST.get("username", "")
            )
        except BusinessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Saved."))
        return redirect("checkpoints")
    if form.is_bound and form.is_valid():
        try:
            checkpoints.checkpoint_register(
                actor=user, data=checkpoints.CheckpointData(**form.cleaned_data)
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Checkpoint registered."))
            return redirect("checkpoints")
    page = Paginator(selectors.checkpoint_list(user=user), 50).get_page(request.GET.get("page"))
    # Staff of a county are named to those who supervise it, not to its neighbours.
    rows = [(c, can_read_region(user, c.county_id)) for c in page]
    return render(
        request,
        "farms/checkpoints.html",
        {"page": page, "rows": rows, "form": form if province else None, "may_post": may_post},
    )
