from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from earmark.accounts.access import request_user
from earmark.core.errors import BusinessError
from earmark.core.http import XLSX, attachment
from earmark.trace.excel import trace_workbook
from earmark.trace.picture import trace_svg
from earmark.trace.selectors.anomalies import anomalies
from earmark.trace.selectors.traces import investigation_get, run_premises_trace, tag_trace
from earmark.trace.services import investigation_open


@login_required
def trace_tag(request: HttpRequest, number: str) -> HttpResponse:
    trace = tag_trace(user=request_user(request), text=number)
    return render(request, "trace/tag.html", {"trace": trace})


@login_required
def trace_search(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("trace-tag", number=number)
    return render(request, "trace/search.html")


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
            "alerts": investigation.alerts.select_related("acknowledged_by").order_by("county_id"),
        },
    )


@login_required
def anomaly_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "trace/anomalies.html", {"anomalies": anomalies(user=request_user(request))}
    )
