"""The rollout dashboard and the counties' switch-on, terminals, training, statistics and the
monthly bulletin."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts.access import request_user
from earmark.accounts.models import Role, User
from earmark.accounts.selectors import user_get, user_list
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.forms import error_lines
from earmark.core.http import XLSX, attachment
from earmark.rollout.charts import figures_chart, stage_chart, svg
from earmark.rollout.documents import (
    statistics_workbook,
)
from earmark.rollout.models import Stage, Training
from earmark.rollout.selectors import equipment as equipment_reads
from earmark.rollout.selectors.milestones import rollout_board
from earmark.rollout.selectors.statistics import FIGURES, Statistics, statistics
from earmark.rollout.services import counties, equipment


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _refused(request: HttpRequest, error: BusinessError) -> None:
    messages.error(request, " ".join([str(error.message), *error_lines(error)]))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    on = _day(request.GET.get("on", "")) or timezone.localdate()
    board = rollout_board(user=user, on=on)
    return render(
        request,
        "rollout/dashboard.html",
        {
            "board": board,
            "chart": mark_safe(svg(stage_chart(board))),  # noqa: S308 - ReportLab escapes text
            "is_province": user.has_role(Role.PROVINCE_ADMIN),
            "is_county": user.has_role(Role.COUNTY_OFFICER),
            "stages": Stage,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def county_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = request_user(request)
    try:
        if action == "request":
            counties.county_request(
                actor=user,
                code=code,
                planned_on=_day(request.POST.get("planned_on", "")),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Enablement requested."))
        elif action == "enable":
            counties.county_enable(actor=user, code=code)
            messages.success(request, _("The county is enabled."))
        else:
            counties.county_accept(actor=user, code=code, note=request.POST.get("note", ""))
            messages.success(request, _("The county is accepted."))
    except BusinessError as error:
        _refused(request, error)
    return redirect("rollout")


@login_required
def terminals(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    raw_token = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "quota":
                _set_quota(request, user)
            else:
                raw_token = _register_terminal(request, user)
        except BusinessError as error:
            _refused(request, error)
    context = {
        "counts": equipment_reads.terminal_counts(user=user),
        "terminals": equipment_reads.terminal_list(user=user),
        "holders": user_list(user=user, active_only=True)[:500],
        "raw_token": raw_token,
        "may_register": user.has_role(Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER),
        "may_set_quota": user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER),
    }
    return render(request, "rollout/terminals.html", context)


def _set_quota(request: HttpRequest, user: User) -> None:
    required = request.POST.get("required", "")
    equipment.terminal_quota_set(
        actor=user,
        region_code=request.POST.get("region_code", "").strip(),
        required=int(required) if required.isdigit() else -1,
    )
    messages.success(request, _("Saved."))


def _register_terminal(request: HttpRequest, user: User) -> str:
    """Register a terminal; its token, shown once on the page."""
    holder_id = request.POST.get("holder", "")
    holder = user_get(user=user, user_id=int(holder_id) if holder_id.isdigit() else 0)
    terminal, raw_token = equipment.terminal_register(
        actor=user,
        device_id=request.POST.get("device_id", ""),
        holder=holder,
        model=request.POST.get("model", ""),
    )
    messages.success(request, _("Terminal %(device)s registered.") % {"device": terminal.device_id})
    return raw_token


def _attendance(text: str) -> list[tuple[str, int]]:
    """Lines of ``region-code attendees``."""
    rows = []
    for line in text.splitlines():
        parts = line.replace(",", " ").replace("，", " ").split()
        if not parts:
            continue
        count = parts[1] if len(parts) > 1 else ""
        rows.append((parts[0], int(count) if count.isdigit() else 0))
    return rows


@login_required
def trainings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if request.method == "POST":
        try:
            held_on = _day(request.POST.get("held_on", ""))
            if held_on is None:
                raise BusinessError(_("Give the date the training was held."), code=INVALID_INPUT)
            equipment.training_record(
                actor=user,
                kind=request.POST.get("kind", ""),
                held_on=held_on,
                title=request.POST.get("title", ""),
                attendance=_attendance(request.POST.get("attendance", "")),
            )
        except BusinessError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("trainings")
    context: dict[str, Any] = {
        "trainings": equipment_reads.training_list(user=user),
        "kinds": Training.Kind.choices,
        "values": request.POST,
        "may_record": user.has_role(
            Role.PROVINCE_ADMIN, Role.CITY_OFFICER, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER
        ),
    }
    return render(request, "rollout/trainings.html", context)


def _statistics(request: HttpRequest) -> Statistics:
    return statistics(
        user=request_user(request),
        region=request.GET.get("region") or None,
        since=_day(request.GET.get("from", "")),
        until=_day(request.GET.get("to", "")),
    )


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    stats = _statistics(request)
    chart = figures_chart(stats, ["declarations_accepted", "certificates", "arrivals"])
    return render(
        request,
        "rollout/statistics.html",
        {
            "stats": stats,
            "figures": [(key, label) for key, label in FIGURES],
            "table": [
                (row, [row.figures[key] for key, _label in FIGURES])
                for row in [*stats.rows, stats.total]
            ],
            "chart": mark_safe(svg(chart)),  # noqa: S308 - ReportLab escapes text
            "query": request.GET.urlencode(),
            "month": timezone.localdate().strftime("%Y-%m"),
            "may_publish": request_user(request).has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER),
        },
    )


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    stats = _statistics(request)
    return attachment(
        statistics_workbook(stats), XLSX, f"statistics-{stats.region.code}-{stats.until}.xlsx"
    )
