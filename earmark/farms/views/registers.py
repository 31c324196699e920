"""The registers a county keeps, as pages: movement restrictions, transport vehicles, livestock
dealers and the province's designated checkpoints."""

from __future__ import annotations

from collections.abc import Callable
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
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.forms import act, error_lines, form_save
from earmark.farms import selectors
from earmark.farms.forms import (
    CheckpointForm,
    DealerForm,
    LiftForm,
    RestrictionForm,
    VehicleForm,
)
from earmark.farms.models import Restriction
from earmark.farms.services import (
    checkpoints,
    dealers,
    restrictions,
    vehicles,
)
from earmark.farms.views.premises import _townships
from earmark.regions.selectors import counties_within


@login_required
def restriction_list(request: HttpRequest) -> HttpResponse:
    """Movement restrictions of the jurisdiction; a county officer places and lifts them."""
    user = request_user(request)
    may_place = user.has_role(Role.COUNTY_OFFICER)
    townships = [(t.code, f"{t.name} {t.code}") for t in _townships(user)]
    posted = request.method == "POST" and may_place
    form = RestrictionForm(request.POST if posted else None, townships=townships)
    saved = form_save(
        request,
        form if posted else None,
        lambda v: _place(user, v),
        done="restrictions",
        message=lambda placed: _("Movement restriction %(id)d placed.") % {"id": placed.pk},
    )
    if saved:
        return saved
    page = Paginator(selectors.restriction_list(user=user), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form if may_place else None,
        "lift": LiftForm(),
        "now": timezone.now(),
    }
    return render(request, "farms/restrictions.html", context)


def _place(user: User, data: dict[str, Any]) -> Restriction:
    premises = (
        selectors.premises_get(user=user, code=data["premises"]) if data["premises"] else None
    )
    fields = ("kind", "reason", "radius_km", "investigation", "ends_at")
    return restrictions.restriction_place(
        actor=user,
        data=restrictions.RestrictionData(
            premises=premises,
            township=data["township"] or "",
            **{name: data[name] for name in fields},
        ),
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
    if action in ("suspend", "reinstate"):
        vehicle = selectors.vehicle_get(user=user, plate=request.POST.get("plate", ""))
        return _suspension(
            request,
            action,
            suspend=lambda reason: vehicles.vehicle_suspend(
                actor=user, vehicle=vehicle, reason=reason
            ),
            reinstate=lambda: vehicles.vehicle_reinstate(actor=user, vehicle=vehicle),
            done="vehicles",
        )
    form = VehicleForm(request.POST if action == "register" else None)
    saved = form_save(
        request,
        form if action == "register" else None,
        lambda v: vehicles.vehicle_register(actor=user, data=vehicles.VehicleData(**v)),
        done="vehicles",
        message=_("Vehicle registered."),
    )
    if saved:
        return saved
    page = Paginator(selectors.vehicle_list(user=user), 50).get_page(request.GET.get("page"))
    return render(request, "farms/vehicles.html", {"page": page, "form": form if county else None})


@login_required
def dealer_list(request: HttpRequest) -> HttpResponse:
    """Livestock dealers working in the jurisdiction; a county officer registers, suspends and
    reinstates them."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    action = request.POST.get("action", "register") if request.method == "POST" and county else ""
    if action in ("suspend", "reinstate"):
        dealer = selectors.dealer_get(user=user, code=request.POST.get("code", ""))
        return _suspension(
            request,
            action,
            suspend=lambda reason: dealers.dealer_suspend(actor=user, dealer=dealer, reason=reason),
            reinstate=lambda: dealers.dealer_reinstate(actor=user, dealer=dealer),
            done="dealers",
        )
    form = DealerForm(request.POST if action == "register" else None)
    saved = form_save(
        request,
        form if action == "register" else None,
        lambda v: dealers.dealer_register(actor=user, data=dealers.DealerData(**v)),
        done="dealers",
        message=lambda dealer: _("Dealer registered: %(code)s.") % {"code": dealer.code},
    )
    if saved:
        return saved
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
    if action == "post" and may_post:
        return _post_officer(request, user)
    counties = [(r.code, r.name) for r in counties_within(prefix="")]
    registering = action == "register" and province
    form = CheckpointForm(request.POST if registering else None, counties=counties)
    saved = form_save(
        request,
        form if registering else None,
        lambda v: checkpoints.checkpoint_register(actor=user, data=checkpoints.CheckpointData(**v)),
        done="checkpoints",
        message=_("Checkpoint registered."),
    )
    if saved:
        return saved
    page = Paginator(selectors.checkpoint_list(user=user), 50).get_page(request.GET.get("page"))
    # Staff of a county are named to those who supervise it, not to its neighbours.
    rows = [(c, can_read_region(user, c.county_id)) for c in page]
    context = {"page": page, "rows": rows, "form": form if province else None, "may_post": may_post}
    return render(request, "farms/checkpoints.html", context)


def _suspension(
    request: HttpRequest,
    action: str,
    *,
    suspend: Callable[[str], object],
    reinstate: Callable[[], object],
    done: str,
) -> HttpResponse:
    """A register's suspend or reinstate button (one rule for vehicles and dealers)."""
    if action == "suspend":
        reason = request.POST.get("reason", "")
        return act(request, lambda: suspend(reason), done=done)
    return act(request, reinstate, done=done)


def _post_officer(request: HttpRequest, user: User) -> HttpResponse:
    checkpoint = selectors.checkpoint_get(user=user, code=request.POST.get("code", ""))
    username = request.POST.get("username", "")
    return act(
        request,
        lambda: checkpoints.checkpoint_post(actor=user, checkpoint=checkpoint, username=username),
        done="checkpoints",
    )
