from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from earmark.core.http import XLSX, attachment
from earmark.trace.excel import trace_workbook
from earmark.trace.picture import trace_svg
from earmark.trace.selectors import run_premises_trace, tag_trace


@login_required
def trace_tag(request: HttpRequest, number: str) -> HttpResponse:
    trace = tag_trace(user=request.user, text=number)  # type: ignore[arg-type]
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
    trace = run_premises_trace(request.user, code, **window)  # type: ignore[arg-type]
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
    trace = run_premises_trace(request.user, code, **_window(request))  # type: ignore[arg-type]
    return attachment(trace_workbook(trace), XLSX, f"trace-{code}.xlsx")
