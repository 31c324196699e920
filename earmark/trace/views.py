from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from earmark.trace.selectors import tag_trace


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
