from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import request_user
from earmark.core.errors import BusinessError, NotFound
from earmark.core.forms import show_error
from earmark.eartags.messages import format_ranges, read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.selectors import disposal_plants, premises_choices, premises_find, premises_get
from earmark.movements import selectors
from earmark.movements.forms import (
    AcknowledgeForm,
    CheckForm,
    DeathForm,
    DestructionForm,
    ReceiveForm,
    RedirectForm,
    SlaughterForm,
    SlaughterRecordForm,
)
from earmark.movements.services import alerts as alerts_service
from earmark.movements.services import redirects
from earmark.movements.services import slaughter as slaughter_service
from earmark.movements.services.arrivals import arrival_preview, arrival_report
from earmark.movements.services.checkpoints import Seen, checkpoint_check
from earmark.movements.services.deaths import death_report
from earmark.movements.services.destruction import destruction_record
from earmark.movements.services.foreign_arrivals import (
    foreign_arrival_preview,
    foreign_arrival_report,
)
from earmark.quarantine.selectors import (
    certificate_find,
    certificate_get,
    foreign_certificate_get,
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
        code = form.cleaned_data["code"].strip()
        payload = ""
        if code.startswith(("http://", "https://")):
            payload = parse_qs(urlparse(code).query).get("p", [""])[0]
            code = urlparse(code).path.rstrip("/").rsplit("/", 1)[-1]
        elif "." in code:
            payload, code = code, ""
        try:
            recorded = checkpoint_check(
                actor=user,
                place=form.cleaned_data["place"],
                payload=payload,
                number=code,
                checked_at=form.cleaned_data["checked_at"],
                offline=form.cleaned_data["offline"],
                seen=Seen(
                    vehicle_plate=form.cleaned_data["vehicle_plate"],
                    animals_seen=form.cleaned_data["animals_seen"],
                    tags_read=form.cleaned_data["tags_read"],
                    disinfected=form.cleaned_data["disinfected"],
                ),
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            request.session["checkpoint_place"] = form.cleaned_data["place"]
            messages.success(
                request,
                _("Check of %(number)s recorded: %(result)s.")
                % {"number": recorded.check.number, "result": recorded.check.get_result_display()},
            )
            return redirect(f"{reverse('checkpoint')}?check={recorded.check.pk}")
    outcome = None
    shown = request.GET.get("check", "")
    if request.method == "GET" and shown.isdigit():
        outcome = selectors.check_outcome(user=user, check_id=int(shown))
    return render(request, "movements/checkpoint.html", {"form": form, "outcome": outcome})


def _receive(request: HttpRequest, *, slaughter: bool) -> HttpResponse:
    """Arrival report or slaughter inspection: 核验 runs the very service that 确认 runs, and
    rolls it back, so that it shows what the confirmation will record or every refusal."""
    user = request_user(request)
    kinds = ["slaughterhouse"] if slaughter else ["farm", "household", "market"]
    form_class = SlaughterForm if slaughter else ReceiveForm
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
    form = form_class(request.POST or None, initial=initial, places=places)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Another province's certificate, handed over by the platform, is received the same
        # way (#17).
        foreign = None if slaughter else foreign_certificate_get(number=data["certificate"].strip())
        try:
            arguments: dict[str, Any] = {
                "actor": user,
                "certificate": foreign or certificate_find(data["certificate"].strip()),
                ("slaughterhouse" if slaughter else "premises"): premises_get(
                    user=user, code=data["premises"]
                ),
                "scanned": read_numbers(data["tags"]),
            }
            if slaughter:
                arguments.update(
                    passed=data["passed"] == "yes",
                    findings=data["findings"],
                    finding_kinds=data["finding_kinds"],
                    untagged=data["untagged"] or 0,
                )
            else:
                arguments["arrived_at"] = timezone.now()
            if request.POST.get("action") != "confirm":
                preview = (
                    slaughter_service.slaughter_preview
                    if slaughter
                    else foreign_arrival_preview
                    if foreign
                    else arrival_preview
                )
                plan = preview(**arguments)
            elif slaughter:
                slaughter_service.slaughter_inspection(**arguments)
                messages.success(
                    request,
                    _("Slaughter inspection recorded; the tags are recovered and cancelled."),
                )
                return redirect("receive-slaughter")
            else:
                (foreign_arrival_report if foreign else arrival_report)(**arguments)
                messages.success(
                    request,
                    _("Arrival recorded; the animals and tags are at %(name)s.")
                    % {"name": arguments["premises"].name},
                )
                return redirect("receive-arrival")
        except BusinessError as error:
            show_error(form, error, items_field="tags")
    return render(
        request,
        "movements/receive.html",
        {
            "form": form,
            "slaughter": slaughter,
            "plan": plan,
            "missing": format_ranges(plan.missing) if plan else "",
            "extra": format_ranges(plan.extra) if plan else "",
            "incoming": incoming,
            "destinations": destinations,
            "slaughter_form": SlaughterRecordForm(places=places) if slaughter else None,
        },
    )


@login_required
def receive_arrival(request: HttpRequest) -> HttpResponse:
    return _receive(request, slaughter=False)


@login_required
def receive_slaughter(request: HttpRequest) -> HttpResponse:
    return _receive(request, slaughter=True)


@login_required
def slaughter_record(request: HttpRequest) -> HttpResponse:
    """Animals waiting at a slaughterhouse were slaughtered: its stock goes down."""
    user = request_user(request)
    form = SlaughterRecordForm(
        request.POST or None, places=premises_choices(user=user, kinds=["slaughterhouse"])
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = slaughter_service.slaughter_record(
                actor=user,
                slaughterhouse=premises_get(user=user, code=data["slaughterhouse"]),
                species=data["species"],
                count=data["count"],
                note=data["note"],
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)d animals slaughtered; %(balance)d still waiting.")
                % {"count": -change.delta, "balance": change.balance},
            )
            return redirect("receive-slaughter")
    return render(request, "movements/slaughter_record.html", {"form": form})


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
    pending = selectors.destruction_pending(user=user)
    form = DestructionForm(request.POST or None, initial={"destroyed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = destruction_record(
                actor=user,
                numbers=read_numbers(data["tags"]) if data["tags"].strip() else RangeSet(),
                include_voided=data["include_voided"],
                destroyed_on=data["destroyed_on"],
                method=data["method"],
                witnesses=data["witnesses"],
            )
        except BusinessError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Destruction %(number)s recorded: %(count)d tags.")
                % {"number": batch.number, "count": batch.count},
            )
            return redirect("tags-destruction")
    return render(
        request,
        "movements/destruction.html",
        {
            "form": form,
            "pending": format_ranges(pending.recovered, limit=50),
            "pending_count": pending.recovered.count,
            "voided_count": pending.voided_count,
            "batches": selectors.destruction_list(user=user)[:20],
        },
    )


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
