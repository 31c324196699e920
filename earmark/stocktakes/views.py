from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from earmark.accounts.access import request_user
from earmark.accounts.models import Role
from earmark.core.errors import BusinessError
from earmark.core.forms import show_error
from earmark.eartags.messages import read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.selectors import premises_choices, premises_get
from earmark.stocktakes import selectors
from earmark.stocktakes.forms import ApproveForm, StocktakeForm
from earmark.stocktakes.models import Stocktake
from earmark.stocktakes.services import stocktake_approve, stocktake_record

KINDS = ["farm", "household", "slaughterhouse", "market"]


@login_required
def stocktakes(request: HttpRequest) -> HttpResponse:
    """The jurisdiction's stocktakes and, for the county and above, its reconciliation."""
    user = request_user(request)
    page = Paginator(selectors.stocktake_list(user=user), 30).get_page(request.GET.get("page"))
    year = timezone.localdate().year
    return render(
        request,
        "stocktakes/list.html",
        {
            "page": page,
            "year": year,
            "townships": selectors.reconciliation(user=user, year=year)
            if user.has_role(Role.COUNTY_OFFICER, Role.CITY_OFFICER, Role.PROVINCE_ADMIN)
            else None,
        },
    )


@login_required
def stocktake_new(request: HttpRequest) -> HttpResponse:
    """Count the animals on a premises and read their tags, on the phone, offline too."""
    user = request_user(request)
    form = StocktakeForm(
        request.POST or None,
        places=premises_choices(user=user, kinds=KINDS),
        initial={"premises": request.GET.get("premises", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stocktake = stocktake_record(
                actor=user,
                premises=premises_get(user=user, code=data["premises"]),
                species=data["species"],
                counted=data["counted"],
                read=read_numbers(data["tags"]) if data["tags"].strip() else RangeSet(),
                taken_on=data["taken_on"],
            )
        except BusinessError as error:
            show_error(form, error, items_field="tags")
        else:
            messages.success(request, _recorded(stocktake))
            return redirect("stocktake-detail", number=stocktake.number)
    return render(request, "stocktakes/new.html", {"form": form})


def _recorded(stocktake: Stocktake) -> str:
    found = len(stocktake.differences)
    return ngettext(
        "Stocktake %(number)s recorded: %(n)d difference.",
        "Stocktake %(number)s recorded: %(n)d differences.",
        found,
    ) % {"number": stocktake.number, "n": found}


@login_required
def stocktake_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request_user(request)
    stocktake = selectors.stocktake_get(user=user, number=number)
    may_approve = (
        user.has_role(Role.COUNTY_OFFICER) and stocktake.status == Stocktake.Status.TO_APPROVE
    )
    form = ApproveForm(request.POST or None) if may_approve else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            stocktake_approve(actor=user, stocktake=stocktake, note=form.cleaned_data["note"])
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Adjustment approved: the ledger reads what was counted."))
            return redirect("stocktake-detail", number=number)
    return render(request, "stocktakes/detail.html", {"stocktake": stocktake, "form": form})
