from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, NotFound
from earmark.eartags.messages import format_ranges, parse_problems
from earmark.eartags.models import Holding
from earmark.eartags.parse import parse_tags
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.farms.selectors import premises_get
from earmark.movements import selectors, services
from earmark.movements.forms import (
    AcknowledgeForm,
    CheckForm,
    DeathForm,
    DestructionForm,
    ReceiveForm,
    SlaughterForm,
)
from earmark.quarantine.selectors import certificate_find


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _numbers(text: str) -> RangeSet:
    parsed = parse_tags(text)
    if parsed.problems or parsed.legacy:
        problems = "；".join(f"{p['text']}：{p['message']}" for p in parse_problems(parsed))
        raise BusinessError(f"{_('Some numbers could not be read.')} {problems}", code="unreadable")
    return parsed.numbers


def _places(user: User, kinds: list[str]) -> list[tuple[str, str]]:
    rows = Premises.objects.filter(jurisdiction_q(user, "township__code"), kind__in=kinds).order_by(
        "name"
    )
    return [(p.code, f"{p.name}（{p.code}）") for p in rows]


@login_required
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The checkpoint officer's page: scan or type, see the verdict, every check recorded."""
    user = _user(request)
    form = CheckForm(
        request.POST or None, initial={"place": request.session.get("checkpoint_place", "")}
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        payload = ""
        if code.startswith(("http://", "https://")):
            payload = parse_qs(urlparse(code).query).get("p", [""])[0]
            code = urlparse(code).path.rstrip("/").rsplit("/", 1)[-1]
        elif "." in code:
            payload, code = code, ""
        try:
            outcome = services.checkpoint_check(
                actor=user, place=form.cleaned_data["place"], payload=payload, number=code
            )
        except BusinessError as error:
            form.add_error(None, str(error.message))
        else:
            request.session["checkpoint_place"] = form.cleaned_data["place"]
    return render(request, "movements/checkpoint.html", {"form": form, "outcome": outcome})


def _receive(request: HttpRequest, *, slaughter: bool) -> HttpResponse:
    user = _user(request)
    kinds = ["slaughterhouse"] if slaughter else ["farm", "household"]
    form_class = SlaughterForm if slaughter else ReceiveForm
    form = form_class(request.POST or None, places=_places(user, kinds))
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = certificate_find(data["certificate"].strip())
            premises = premises_get(user=user, code=data["premises"])
            scanned = _numbers(data["tags"])
            if request.POST.get("action") != "confirm":
                plan = services.receipt_plan(certificate, scanned)
            elif slaughter:
                services.slaughter_inspection(
                    actor=user,
                    certificate=certificate,
                    slaughterhouse=premises,
                    scanned=scanned,
                    passed=data["passed"] == "yes",
                    findings=data["findings"],
                    finding_kinds=data["finding_kinds"],
                    untagged=data["untagged"] or 0,
                )
                messages.success(
                    request,
                    _("Slaughter inspection recorded; the tags are recovered and cancelled."),
                )
                return redirect("receive-slaughter")
            else:
                services.arrival_report(
                    actor=user,
                    certificate=certificate,
                    premises=premises,
                    scanned=scanned,
                    arrived_at=timezone.now(),
                )
                messages.success(
                    request,
                    _("Arrival recorded; the animals and tags are at %(name)s.")
                    % {"name": premises.name},
                )
                return redirect("receive-arrival")
        except BusinessError as error:
            form.add_error(None, str(error.message))
    return render(
        request,
        "movements/receive.html",
        {
            "form": form,
            "slaughter": slaughter,
            "plan": plan,
            "missing": format_ranges(plan.missing) if plan else "",
            "extra": format_ranges(plan.extra) if plan else "",
        },
    )


@login_required
def receive_arrival(request: HttpRequest) -> HttpResponse:
    return _receive(request, slaughter=False)


@login_required
def receive_slaughter(request: HttpRequest) -> HttpResponse:
    return _receive(request, slaughter=True)


@login_required
def deaths(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    premises = premises_get(user=user, code=code)
    plants = [
        (p.code, p.name)
        for p in Premises.objects.filter(kind="disposal", county_code=premises.county_code)
    ]
    form = DeathForm(request.POST or None, plants=plants)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.death_report(
                actor=user,
                premises=premises,
                species=data["species"],
                numbers=_numbers(data["tags"]) if data["tags"].strip() else RangeSet(),
                untagged=data["untagged"] or 0,
                cause=data["cause"],
                disposal_plant=Premises.objects.filter(code=data["disposal_plant"]).first()
                if data["disposal_plant"]
                else None,
            )
        except BusinessError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Deaths recorded; the tags are cancelled and the stock lowered.")
            )
            return redirect("premises-detail", code=code)
    return render(request, "movements/deaths.html", {"form": form, "premises": premises})


@login_required
def destruction(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    county = county_of(user_jurisdiction(user)) or ""
    pending = services.recovered_in_county(county) if county else RangeSet()
    voided = (
        list(Holding.objects.filter(county_code=county, state=Holding.State.VOIDED))
        if county
        else []
    )
    form = DestructionForm(request.POST or None, initial={"destroyed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.destruction_record(
                actor=user,
                numbers=_numbers(data["tags"]) if data["tags"].strip() else RangeSet(),
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
            "pending": format_ranges(pending, limit=50),
            "pending_count": pending.count,
            "voided_count": sum(h.count for h in voided),
            "batches": selectors.destruction_list(user=user)[:20],
        },
    )


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        alert_id = request.POST.get("alert", "")
        alert = (
            selectors.alert_list(user=user).filter(pk=int(alert_id)).first()
            if alert_id.isdigit()
            else None
        )
        if alert is None:
            raise NotFound()
        try:
            services.alert_acknowledge(
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
    rows: Any = selectors.overdue_certificates(user=_user(request))[:200]
    return render(request, "movements/overdue.html", {"certificates": rows})
