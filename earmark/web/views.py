"""Pages that gather several apps: the home dashboards, the farm's own page reached by its QR
code, and the region pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from earmark.accounts.access import (
    can_read_region,
    farm_vet_only,
    request_user,
    require_region,
    user_jurisdiction,
)
from earmark.accounts.selectors import agencies_of
from earmark.core.http import client_address
from earmark.farms.forms import PinForm
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_by_token, premises_can_declare
from earmark.farms.services.credentials import premises_pin_check
from earmark.farms.session import farm_session_open, farm_session_opened
from earmark.quarantine.selectors import declarations_of_farm
from earmark.regions.selectors import region_ancestors, region_children, region_get
from earmark.web.dashboards import dashboard_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    user_jurisdiction(user)
    if farm_vet_only(user):
        # A farm's own veterinarian has one task here.
        return redirect("immunize")
    return render(request, "web/home.html", {"dashboard": dashboard_for(user)})


def farm_page(request: HttpRequest, token: str) -> HttpResponse:
    """What a farmer sees after scanning the QR code: a PIN prompt, then the farm's page."""
    premises = premises_by_token(token=token)
    user = request.user
    page = {"premises": premises, "eligibility": premises_can_declare(premises=premises)}
    if user.is_authenticated and can_read_region(user, premises.township_id):  # type: ignore[arg-type]
        # A vaccinator or officer of the jurisdiction who scans the card needs no PIN.
        return render(request, "web/farm_page.html", {**page, "staff": True})
    if not farm_session_opened(request, premises):
        return _farm_pin(request, premises, token)
    declarations = declarations_of_farm(premises=premises)
    context = {**page, "declarations": declarations, "farm_menu": premises}
    return render(request, "web/farm_page.html", context)


def _farm_pin(request: HttpRequest, premises: Premises, token: str) -> HttpResponse:
    """The PIN prompt; the right PIN opens the farm's page on this device."""
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = premises_pin_check(
            premises=premises, pin=form.cleaned_data["pin"], source=client_address(request)
        )
        if result.ok:
            farm_session_open(request, premises)
            return redirect("farm-page", token=token)
        form.add_error("pin", result.message)
    return render(request, "web/farm_pin.html", {"premises": premises, "form": form})


@login_required
def region_home(request: HttpRequest) -> HttpResponse:
    return redirect("region-detail", code=user_jurisdiction(request_user(request)))


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A region of the user's jurisdiction: its agency and the regions below it."""
    user = request_user(request)
    region = region_get(code=code)
    require_region(user, region.code)
    children = list(region_children(code=region.code))
    agencies = agencies_of(regions=[region, *children])
    return render(
        request,
        "web/region_detail.html",
        {
            "region": region,
            # The breadcrumb starts at the user's own region: nothing above it is theirs.
            "ancestors": [
                a for a in region_ancestors(region=region) if can_read_region(user, a.code)
            ],
            "agency": agencies.get(region.code),
            "children": [(child, agencies.get(child.code)) for child in children],
        },
    )
