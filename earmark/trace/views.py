from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from earmark.accounts.access import request_user
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError
from earmark.core.forms import show_error
from earmark.core.http import XLSX, attachment
from earmark.eartags.messages import traceable_problem
from earmark.regions.provinces import PROVINCES
from earmark.trace.excel import trace_workbook
from earmark.trace.forms import CaseForm, CloseForm, DecisionForm
from earmark.trace.models import Case
from earmark.trace.picture import trace_svg
from earmark.trace.selectors import cases as case_reads
from earmark.trace.selectors.anomalies import anomalies
from earmark.trace.selectors.investigations import investigation_alerts, investigation_get
from earmark.trace.selectors.traces import (
    run_premises_trace,
    tag_trace,
)
from earmark.trace.selectors.vehicles import vehicle_trace
from earmark.trace.services import cases
from earmark.trace.services.cases import CaseData, Evidence
from earmark.trace.services.investigations import investigation_open


@login_required
def trace_tag(request: HttpRequest, number: str) -> HttpResponse:
    trace = tag_trace(user=request_user(request), text=number)
    return render(request, "trace/tag.html", {"trace": trace})


@login_required
def trace_search(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    problem = traceable_problem(number) if number else ""
    if number and not problem:
        return redirect("trace-tag", number=number)
    return render(request, "trace/search.html", {"number": number, "problem": problem})


def _window(request: HttpRequest) -> dict[str, Any]:
    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    hops = request.GET.get("hops", "3")
    return {
        "direction": request.GET.get("direction", "forward"),
        "since": day("from"),
        "until": day("to"),
        "hops": int(hops) if hops.isdigit() else 3,
    }


@login_required
def trace_premises(request: HttpRequest, code: str) -> HttpResponse:
    window = _window(request)
    trace = run_premises_trace(request_user(request), code, **window)
    return render(
        request,
        "trace/premises.html",
        {
            "trace": trace,
            "start": trace.nodes[trace.start],
            "svg": mark_safe(trace_svg(trace)),  # noqa: S308 - built from escaped parts
            "links": list(trace.links.values()),
            "window": window,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def trace_premises_export(request: HttpRequest, code: str) -> HttpResponse:
    window = _window(request)
    trace = run_premises_trace(request_user(request), code, **window)
    workbook = trace_workbook(trace, since=window["since"], until=window["until"])
    return attachment(workbook, XLSX, f"trace-{code}.xlsx")


@login_required
def investigation_new(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            investigation = investigation_open(
                actor=request_user(request),
                reason=request.POST.get("reason", ""),
                tag=request.POST.get("tag", ""),
                premises_code=request.POST.get("premises", ""),
            )
        except BusinessError as failure:
            error = str(failure.message)
        else:
            return redirect("investigation-detail", number=investigation.number)
    return render(request, "trace/investigation_new.html", {"error": error, "values": request.POST})


@login_required
def investigation_detail(request: HttpRequest, number: str) -> HttpResponse:
    investigation = investigation_get(user=request_user(request), number=number)
    return render(
        request,
        "trace/investigation.html",
        {
            "investigation": investigation,
            "alerts": investigation_alerts(investigation=investigation),
            "requests": [
                (PROVINCES.get(r.province, r.province), r) for r in investigation.requests.all()
            ],
        },
    )


@login_required
def anomaly_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "trace/anomalies.html",
        {"anomalies": anomalies(user=user), "may_open": user.has_role(Role.COUNTY_OFFICER)},
    )


# Where an anomaly of each kind comes from, as a case records it.
_SOURCES = {
    "forged_certificate": Case.Source.CHECKPOINT,
    "refused_foreign_tags": Case.Source.REFUSAL,
    "over_stock": Case.Source.REFUSAL,
    "never_registered": Case.Source.REFUSAL,
}


@login_required
def case_list_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", "")
    listed = case_reads.case_list(user=user, status=status if status in Case.Status.values else "")
    return render(
        request,
        "trace/cases.html",
        {
            "page": Paginator(listed, 30).get_page(request.GET.get("page")),
            "statuses": Case.Status.choices,
            "status": status,
            "may_open": user.has_role(Role.COUNTY_OFFICER),
        },
    )


def _from_anomaly(user: User, kind: str) -> dict[str, str]:
    """A new case's source and facts, filled in from the anomaly it is opened from."""
    for anomaly in anomalies(user=user):
        if anomaly.kind == kind:
            return {
                "source": _SOURCES.get(kind, Case.Source.ANOMALY),
                "source_ref": kind,
                "facts": "\n".join([anomaly.title, *anomaly.evidence[:20]])[:2000],
            }
    return {}


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    initial = _from_anomaly(user, request.GET.get("anomaly", ""))
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = cases.case_open(
                actor=user,
                data=CaseData(
                    article=data["article"],
                    party_kind=data["party_kind"],
                    party_ref=data["party_ref"],
                    party_name=data["party_name"],
                    facts=data["facts"],
                    evidence=[Evidence(kind, ref) for kind, ref in form.evidence()],
                    source=data["source"] or Case.Source.MANUAL,
                    source_ref=data["source_ref"],
                ),
            )
        except BusinessError as error:
            show_error(form, error, items_field="facts")
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("case-detail", number=case.number)
    return render(request, "trace/case_new.html", {"form": form})


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request_user(request)
    case = case_reads.case_get(user=user, number=number)
    may_act = user.has_role(Role.COUNTY_OFFICER)
    action = request.POST.get("action") if request.method == "POST" and may_act else None
    decide = DecisionForm(request.POST if action == "decide" else None)
    close = CloseForm(request.POST if action == "close" else None)
    form = {"decide": decide, "close": close}.get(action or "")
    if form is not None and form.is_valid():
        try:
            if action == "decide":
                cases.case_decide(actor=user, case=case, **decide.cleaned_data)
            else:
                cases.case_close(actor=user, case=case, **close.cleaned_data)
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("case-detail", number=case.number)
    return render(
        request,
        "trace/case.html",
        {"case": case, "decide": decide, "close": close, "may_act": may_act},
    )


@login_required
def trace_vehicle(request: HttpRequest, plate: str) -> HttpResponse:
    window = _window(request)
    trace = vehicle_trace(
        user=request_user(request), plate=plate, since=window["since"], until=window["until"]
    )
    return render(request, "trace/vehicle.html", {"trace": trace})
