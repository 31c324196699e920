from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from earmark.accounts.access import can_read_region, request_user, require_region, user_jurisdiction
from earmark.accounts.models import Agency
from earmark.regions.selectors import region_ancestors, region_children, region_get


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
    agencies = {
        agency.region_id: agency for agency in Agency.objects.filter(region__in=[region, *children])
    }
    return render(
        request,
        "regions/region_detail.html",
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
