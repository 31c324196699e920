from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts.access import request_user
from earmark.accounts.models import User
from earmark.core.errors import BusinessError, NotFound
from earmark.core.forms import error_lines, show_error
from earmark.eartags.messages import format_ranges, read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.forms import StockChangeForm
from earmark.farms.selectors import disposal_plants, premises_choices, premises_find, premises_get
from earmark.farms.services.stock import manual_reasons
from earmark.movements import selectors
from earmark.movements.forms import (
    AcknowledgeForm,
    CheckForm,
    DeathForm,
    DestructionForm,
    OverrideForm,
    ReceiveForm,
    RedirectForm,
    SlaughterForm,
)
from earmark.movements.services import alerts as alerts_service
from earmark.movements.services import redirects
from earmark.movements.services.checkpoints import (
    Seen,
    checkpoint_check,
    scanned_code,
)
from earmark.movements.services.deaths import death_report
from earmark.movements.services.destruction import destruction_record
from earmark.movements.services.overrides import restriction_override
from earmark.movements.services.receiving import Receiving, receiving_preview, receiving_record
from earmark.movements.services.stock_entries import stock_entry
from earmark.quarantine.selectors import (
    certificate_get,
    origin_restriction,
)


@login_required
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The checkpoint officer's page: scan or type, see the verdict, every check recorded (a
    check made offline is verified on the phone and recorded here when it is uploaded)."""
    user = request_user(request)
    form = CheckForm(
        request.POST or None, initial={"place": request.session.get("checkpoint_place", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = _check(user, form.cleaned_data)
        except BusinessError as error:
            show_error(form, error)
        else:
            request.session["checkpoint_place"] = form.cleaned_data["place"]
            check = recorded.check
            messages.success(
                request,
                _("Check of %(number)s recorded: %(result)s.")
                % {"number": check.number, "result": check.get_result_display()},
            )
            return redirect(f"{reverse('checkpoint')}?check={check.pk}")
    shown = request.GET.get("check", "")
    outcome = None
    if request.method == "GET" and shown.isdigit():
        outcome = selectors.check_outcome(user=user, check_id=int(shown))
    return render(request, "movements/checkpoint.html", {"form": form, "outcome": outcome})


def _check(user: User, data: dict[str, Any]) -> Any:
    payload, number = scanned_code(data["code"])
    seen_fields = ("vehicle_plate", "animals_seen", "tags_read", "disinfected")
    return checkpoint_check(
        actor=user,
        place=data["place"],
        payload=payload,
        number=number,
        checked_at=data["checked_at"],
        offline=data["offline"],
        seen=Seen(**{name: data[name] for name in seen_fields}),
    )


def _receive(request: HttpRequest, *, slaughter: bool) -> HttpResponse:
    """Arrival report or slaughter inspection: 核验 runs the very service that 确认 runs, and
    rolls it back, so that it shows what the confirmation will record or every refusal."""
    user = request_user(request)
    context = _receive_context(request, user, slaughter=slaughter)
    form = context["form"]
    if request.method == "POST" and form.is_valid():
        receiving = _receiving(user, form.cleaned_data, slaughter=slaughter)
        try:
            if request.POST.get("action") != "confirm":
                plan = receiving_preview(actor=user, receiving=receiving)
                context.update(
                    plan=plan, missing=format_ranges(plan.missing), extra=format_ranges(plan.extra)
                )
            else:
                receiving_record(actor=user, receiving=receiving)
                messages.success(request, _received_message(receiving))
                return redirect("receive-slaughter" if slaughter else "receive-arrival")
        except BusinessError as error:
            show_error(form, error, items_field="tags")
    return render(request, "movements/receive.html", context)


def _receive_context(request: HttpRequest, user: User, *, slaughter: bool) -> dict[str, Any]:
    kinds = ["slaughterhouse"] if slaughter else ["farm", "household", "market"]
    places = premises_choices(user=user, kinds=kinds)
    incoming = list(selectors.incoming_certificates(user=user, slaughter=slaughter)[:20])
    # Where each certificate on its way sends the animals: the page picks that premises as
    # soon as its number is typed (and here, when the 接收 link names it).
    destinations = {
        c.number: c.destination_premises.code
        for c in incoming
        if c.destination_premises and c.destination_premises.code in dict(places)
    }
    number = request.GET.get("certificate", "")
    initial = {"certificate": number, "premises": destinations.get(number, "")}
    form_class = SlaughterForm if slaughter else ReceiveForm
    return {
        "form": form_class(request.POST or None, initial=initial, places=places),
        "slaughter": slaughter,
        "plan": None,
        "missing": "",
        "extra": "",
        "incoming": incoming,
        "foreign": list(selectors.incoming_foreign(user=user, slaughter=slaughter)[:20]),
        "destinations": destinations,
    }


def _receiving(user: User, data: dict[str, Any], *, slaughter: bool) -> Receiving:
    return Receiving(
        number=data["certificate"].strip(),
        premises=premises_get(user=user, code=data["premises"]),
        scanned=read_numbers(data["tags"]),
        slaughter=slaughter,
        passed=data.get("passed") == "yes",
        findings=data.get("findings", ""),
        finding_kinds=data.get("finding_kinds") or [],
        untagged=data.get("untagged") or 0,
    )


def _received_message(receiving: Receiving) -> str:
    if receiving.slaughter:
        return _("Slaughter inspection recorded; the tags are recovered and cancelled.")
    return _("Arrival recorded; the animals and tags are at %(name)s.") % {
        "name": receiving.premises.name
    }


@login_required
def receive_arrival(request: HttpRequest) -> HttpResponse:
    return _receive(request, slaughter=False)


@login_required
def receive_slaughter(request: HttpRequest) -> HttpResponse:
    return _receive(request, slaughter=True)


@login_required
@require_POST
def premises_stock_change(request: HttpRequest, code: str) -> HttpResponse:
    """A hand entry of the stock ledger from the premises page."""
    user = request_user(request)
    premises = premises_get(user=user, code=code)
    form = StockChangeForm(request.POST, reasons=manual_reasons(user, premises))
    if form.is_valid():
        try:
            stock_entry(actor=user, premises=premises, **form.cleaned_data)
        except BusinessError as error:
            messages.error(request, " ".join([str(error.message), *error_lines(error)]))
        else:
            messages.success(request, _("Stock change recorded."))
    else:
        messages.error(request, _("Fill in species, reason and a whole number."))
    return redirect("premises-detail", code=code)


@login_required
def certificate_redirect(request: HttpRequest, number: str) -> HttpResponse:
    """The destination county records a change of destination (改变到达地) with its reason."""
    user = request_user(request)
    certificate = certificate_get(user=user, number=number)
    form = RedirectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            redirects.certificate_redirect(
                actor=user,
                certificate=certificate,
                to_premises=premises_find(code=form.cleaned_data["premises"].strip()),
                reason=form.cleaned_data["reason"],
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Change of destination recorded; the counties concerned are alerted.")
            )
            return redirect("certificate-detail", number=number)
    return render(request, "movements/redirect.html", {"form": form, "certificate": certificate})


@login_required
def certificate_override(request: HttpRequest, number: str) -> HttpResponse:
    """The destination county lets in animals whose origin fell under a restriction."""
    user = request_user(request)
    certificate = certificate_get(user=user, number=number)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            restriction_override(
                actor=user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Override recorded: the animals may be received; the origin is told.")
            )
            return redirect("certificate-detail", number=number)
    context = {
        "form": form,
        "certificate": certificate,
        "restriction": origin_restriction(certificate),
        "recorded": selectors.restriction_override_of(certificate),
    }
    return render(request, "movements/override.html", context)


@login_required
def deaths(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    premises = premises_get(user=user, code=code)
    plants = disposal_plants(county_code=premises.county_code)
    form = DeathForm(request.POST or None, plants=plants)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            death_report(
                actor=user,
                premises=premises,
                species=data["species"],
                numbers=read_numbers(data["tags"]) if data["tags"].strip() else RangeSet(),
                untagged=data["untagged"] or 0,
                cause=data["cause"],
                disposal_plant=premises_find(code=data["disposal_plant"])
                if data["disposal_plant"]
                else None,
            )
        except BusinessError as error:
            show_error(form, error, items_field="tags")
        else:
            messages.success(
                request, _("Deaths recorded; the tags are cancelled and the stock lowered.")
            )
            return redirect("premises-detail", code=code)
    return render(request, "movements/deaths.html", {"form": form, "premises": premises})


@login_required
def destruction(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = DestructionForm(request.POST or None, initial={"destroyed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        numbers = read_numbers(data["tags"]) if data["tags"].strip() else RangeSet()
        fields = ("include_voided", "destroyed_on", "method", "place", "witnesses")
        try:
            batch = destruction_record(
                actor=user, numbers=numbers, **{name: data[name] for name in fields}
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Destruction %(number)s recorded: %(count)d tags.")
                % {"number": batch.number, "count": batch.count},
            )
            return redirect("tags-destruction")
    pending = selectors.destruction_pending(user=user)
    context = {
        "form": form,
        "pending": format_ranges(pending.recovered, limit=50),
        "pending_count": pending.recovered.count,
        "voided_count": pending.voided_count,
        "batches": selectors.destruction_list(user=user)[:20],
    }
    return render(request, "movements/destruction.html", context)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if request.method == "POST":
        alert_id = request.POST.get("alert", "")
        if not alert_id.isdigit():
            raise NotFound()
        alert = selectors.alert_get(user=user, alert_id=int(alert_id))
        try:
            alerts_service.alert_acknowledge(
                actor=user, alert=alert, action_taken=request.POST.get("action_taken", "")
            )
        except BusinessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Alert acknowledged."))
        return redirect("alerts")
    page = Paginator(selectors.alert_list(user=user), 30).get_page(request.GET.get("page"))
    return render(request, "movements/alerts.html", {"page": page, "form": AcknowledgeForm()})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    rows: Any = selectors.overdue_certificates(user=request_user(request))[:200]
    return render(request, "movements/overdue.html", {"certificates": rows})
