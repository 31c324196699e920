from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earmark.accounts.access import request_user, require_region
from earmark.accounts.models import Role, User
from earmark.accounts.selectors import township_list
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.forms import form_save, show_error
from earmark.core.species import species_digits, species_label
from earmark.eartags import excel
from earmark.eartags.codes import format_range, format_tag
from earmark.eartags.forms import (
    CheckForm,
    DeliveryForm,
    ImportForm,
    ManufacturerForm,
    MoveForm,
    OrderForm,
    PlanForm,
    PliersForm,
    RegisterForm,
    RevokeForm,
)
from earmark.eartags.holders import holder_from_key
from earmark.eartags.messages import parse_problems, refuse_too_much
from earmark.eartags.models import Manufacturer, Registration
from earmark.eartags.parse import parse_tags
from earmark.eartags.selectors import checks
from earmark.eartags.selectors import inventory as inventory_reads
from earmark.eartags.selectors import makers as maker_reads
from earmark.eartags.services import issuing, makers, pliers, registration


@login_required
def inventory(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "eartags/inventory.html",
        {
            "totals": inventory_reads.inventory_totals(user=user),
            "holders": inventory_reads.holdings_by_holder(user=user, ranges_per_holder=5),
            "is_county": user.has_role(Role.COUNTY_OFFICER),
            "is_township": user.has_role(Role.TOWNSHIP_OFFICER),
        },
    )


def _deliveries(user: User) -> list[tuple[str, str]]:
    return [
        (str(d.pk), f"{d.delivered_on} {d.manufacturer} {d.note_number}")
        for d in inventory_reads.delivery_list(user=user)[:50]
    ]


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = RegisterForm(request.POST or None, deliveries=_deliveries(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = registration.RegistrationRow(
            line=1,
            species=data["species"],
            first=data["first"],
            last=data["last"],
            quantity=str(data["quantity"]),
            box=data["box"],
            pack=data["pack"],
        )
        try:
            delivery = _delivery(user, data["delivery"])
            done = registration.tags_register(actor=user, rows=[row], delivery=delivery)
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Registration %(number)s: %(count)d tags.")
                % {"number": done.number, "count": done.count},
            )
            return redirect("tags-inventory")
    return render(request, "eartags/register.html", {"form": form})


def _delivery(user: User, value: str) -> Any:
    return inventory_reads.delivery_get(user=user, delivery_id=int(value)) if value else None


@login_required
def import_sheet(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ImportForm(request.POST or None, request.FILES or None, deliveries=_deliveries(user))
    context: dict[str, Any] = {"form": form, "problems": [], "error_message": ""}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = registration.tags_register(
                actor=user,
                rows=excel.read_workbook(upload),
                delivery=_delivery(user, form.cleaned_data["delivery"]),
                source=Registration.Source.IMPORT,
                file_name=upload.name,
            )
        except BusinessError as error:
            context.update(error_message=str(error.message), problems=error.detail["items"])
        else:
            messages.success(
                request,
                _("Registration %(number)s: %(count)d tags.")
                % {"number": done.number, "count": done.count},
            )
            return redirect("tags-inventory")
    return render(request, "eartags/import.html", context)


def _order_choices(user: User) -> list[tuple[str, str]]:
    return [
        (str(o.pk), f"{o.number} {o.plan.manufacturer.name} {format_range(o.first, o.last)}")
        for o in maker_reads.order_list(user=user)[:50]
    ]


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = DeliveryForm(request.POST or None, choices=_order_choices(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration.delivery_create(
                actor=user,
                order_id=int(data["order_id"]),
                note_number=data["note_number"],
                delivered_on=data["delivered_on"],
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Delivery recorded."))
            return redirect("tags-deliveries")
    page = Paginator(inventory_reads.delivery_list(user=user), 30).get_page(request.GET.get("page"))
    return render(request, "eartags/deliveries.html", {"form": form, "page": page})


@login_required
def makers_page(request: HttpRequest) -> HttpResponse:
    """The province's designated manufacturers and their plans; the province designates, plans
    and revokes here, the counties read what they may order."""
    user = request_user(request)
    province = user.has_role(Role.PROVINCE_ADMIN)
    posted = request.POST.get("form") if request.method == "POST" and province else None
    forms_ = _maker_forms(user, request.POST if posted else None, posted)
    saves: dict[str, Callable[[dict[str, Any]], object]] = {
        "maker": lambda v: makers.manufacturer_register(
            actor=user, data=makers.ManufacturerData(**v)
        ),
        "plan": lambda v: makers.plan_set(
            actor=user, manufacturer=_maker(user, v), **{k: v[k] for k in PLAN_FIELDS}
        ),
        "revoke": lambda v: makers.manufacturer_revoke(
            actor=user, manufacturer=_maker(user, v), reason=v["reason"]
        ),
    }
    if posted in saves:
        saved = form_save(request, forms_[posted], saves[posted], done="tags-makers")
        if saved:
            return saved
    year = timezone.localdate().year
    context = {
        "makers": maker_reads.manufacturer_list(user=user),
        "plans": maker_reads.plan_list(user=user, year=year),
        "year": year,
        "forms": forms_ if province else None,
    }
    return render(request, "eartags/makers.html", context)


PLAN_FIELDS = ("year", "species", "quantity")


def _maker(user: User, values: dict[str, Any]) -> Manufacturer:
    return maker_reads.manufacturer_get(user=user, manufacturer_id=int(values["manufacturer"]))


def _maker_forms(user: User, data: Any, posted: str | None) -> dict[str, forms.Form]:
    designated = maker_reads.manufacturer_list(user=user, designated=True)
    choices = [(str(m.pk), m.name) for m in designated]
    return {
        "maker": ManufacturerForm(data if posted == "maker" else None, prefix="maker"),
        "plan": PlanForm(
            data if posted == "plan" else None,
            prefix="plan",
            choices=choices,
            initial={"year": timezone.localdate().year},
        ),
        "revoke": RevokeForm(
            data if posted == "revoke" else None, prefix="revoke", choices=choices
        ),
    }


@login_required
def orders_page(request: HttpRequest) -> HttpResponse:
    """The county's tag orders against the makers' plans, and what was delivered of each."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    form = OrderForm(request.POST or None, choices=_plan_choices(user))
    saved = form_save(
        request,
        form if request.method == "POST" and county else None,
        lambda v: makers.order_place(
            actor=user,
            plan=maker_reads.plan_get(user=user, plan_id=int(v["plan"])),
            first=v["first"],
            last=v["last"],
            ordered_on=v["ordered_on"],
        ),
        done="tags-orders",
        message=lambda order: _("Order %(number)s placed.") % {"number": order.number},
    )
    if saved:
        return saved
    page = Paginator(maker_reads.order_list(user=user), 30).get_page(request.GET.get("page"))
    return render(request, "eartags/orders.html", {"page": page, "form": form if county else None})


def _plan_choices(user: User) -> list[tuple[str, str]]:
    """This year's plans of makers designated today, with what is left to order of each."""
    today = timezone.localdate()
    return [
        (
            str(p.pk),
            f"{p.manufacturer.name} · {species_label(p.species)} · "
            + _("%(n)d left") % {"n": p.quantity - getattr(p, "ordered", 0)},
        )
        for p in maker_reads.plan_list(user=user, year=today.year)
        if p.manufacturer.designated_on(today)
    ]


MOVES = {
    "issue": (gettext_lazy("Issue tags"), gettext_lazy("To")),
    "return": (gettext_lazy("Return tags"), gettext_lazy("Returned by")),
    "void": (gettext_lazy("Void damaged tags"), gettext_lazy("Held by")),
}


@login_required
def move(request: HttpRequest, mode: str) -> HttpResponse:
    user = request_user(request)
    title, party_label = MOVES[mode]
    form = MoveForm(
        request.POST or None,
        parties=inventory_reads.move_parties(user=user, mode=mode),
        party_label=party_label,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            party = holder_from_key(data["party"])
            require_region(user, party.region_code)
            common = {
                "species": data["species"],
                "selection": form.selection(),
                "note": data["note"],
            }
            if mode == "issue":
                done = issuing.tags_issue(actor=user, target=party, **common)
            elif mode == "return":
                done = issuing.tags_return(actor=user, source=party, **common)
            else:
                done = issuing.tags_void(actor=user, source=party, **common)
        except BusinessError as error:
            show_error(form, error, items_field="ranges")
        else:
            messages.success(request, _("Document %(number)s saved.") % {"number": done.number})
            return redirect("tags-document", number=done.number)
    return render(request, "eartags/move.html", {"form": form, "title": title, "mode": mode})


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = Paginator(inventory_reads.issue_list(user=user), 30).get_page(request.GET.get("page"))
    return render(request, "eartags/documents.html", {"page": page})


@login_required
def document(request: HttpRequest, number: str) -> HttpResponse:
    issue = inventory_reads.issue_get(user=request_user(request), number=number)
    source, target = inventory_reads.issue_holders(issue)
    return render(
        request,
        "eartags/document.html",
        {"issue": issue, "source": source, "target": target, "lines": issue.lines.all()},
    )


@login_required
def check(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    townships = [(r.code, r.name) for r in township_list(user=user)]
    form = CheckForm(request.POST or None, townships=townships)
    report = unreadable = None
    if request.method == "POST" and form.is_valid():
        parsed = parse_tags(form.cleaned_data["numbers"], species=species_digits())
        refuse_too_much(parsed)
        report = checks.tags_check_visible(
            user=user, numbers=parsed.numbers, township=form.cleaned_data["township"]
        )
        unreadable = parse_problems(parsed)
    return render(
        request, "eartags/check.html", {"form": form, "report": report, "unreadable": unreadable}
    )


@login_required
def tag(request: HttpRequest, number: str) -> HttpResponse:
    detail = inventory_reads.tag_detail(user=request_user(request), text=number)
    return render(
        request, "eartags/tag.html", {"detail": detail, "text": format_tag(detail.number)}
    )


@login_required
def pliers_page(request: HttpRequest) -> HttpResponse:
    """Ear-tag pliers of the jurisdiction; the county registers and issues them to stations,
    a station issues them to its vaccinators, and both take them back."""
    user = request_user(request)
    county = user.has_role(Role.COUNTY_OFFICER)
    may_move = county or user.has_role(Role.TOWNSHIP_OFFICER)
    parties = inventory_reads.pliers_parties(user=user) if may_move else []
    form = PliersForm(request.POST or None, parties=parties, county=county)
    if request.method == "POST" and may_move and form.is_valid():
        try:
            done = _pliers_move(user, form.cleaned_data, form.serial_list())
        except BusinessError as error:
            show_error(form, error, items_field="serials")
        else:
            messages.success(request, _("%(count)d pliers recorded.") % {"count": len(done)})
            return redirect("tags-pliers")
    page = Paginator(inventory_reads.pliers_list(user=user), 50).get_page(request.GET.get("page"))
    context = {"page": page, "form": form if may_move else None}
    return render(request, "eartags/pliers.html", context)


def _pliers_move(user: User, data: dict[str, Any], serials: list[str]) -> list[Any]:
    if data["action"] == "register":
        return pliers.pliers_register(actor=user, serials=serials)
    if not data["party"]:
        raise BusinessError(
            _("Choose the station or vaccinator."),
            code=INVALID_INPUT,
            fields={"party": _("Required.")},
        )
    party = holder_from_key(data["party"])
    require_region(user, party.region_code)
    if data["action"] == "issue":
        return pliers.pliers_issue(actor=user, serials=serials, target=party)
    return pliers.pliers_return(actor=user, serials=serials, source=party)
