from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earmark.accounts.access import request_user
from earmark.accounts.models import Role
from earmark.accounts.selectors import user_get, user_list
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound
from earmark.core.forms import error_lines, show_error
from earmark.core.http import XLSX, attachment
from earmark.rollout.charts import figures_chart, stage_chart, svg
from earmark.rollout.documents import (
    bulletin_name,
    bulletin_pdf,
    period_parse,
    statistics_workbook,
)
from earmark.rollout.forms import (
    AnswerForm,
    InspectionForm,
    LeadingGroupForm,
    PublicityForm,
    ReportForm,
    RoundForm,
)
from earmark.rollout.models import Stage, Training
from earmark.rollout.selectors import equipment as equipment_reads
from earmark.rollout.selectors import organisation as organisation_reads
from earmark.rollout.selectors import supervision as supervision_reads
from earmark.rollout.selectors.milestones import rollout_board
from earmark.rollout.selectors.statistics import FIGURES, Statistics, statistics
from earmark.rollout.services import counties, equipment, organisation, supervision


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
                required = request.POST.get("required", "")
                equipment.terminal_quota_set(
                    actor=user,
                    region_code=request.POST.get("region_code", "").strip(),
                    required=int(required) if required.isdigit() else -1,
                )
                messages.success(request, _("Saved."))
            else:
                holder_id = request.POST.get("holder", "")
                holder = user_get(user=user, user_id=int(holder_id) if holder_id.isdigit() else 0)
                terminal, raw_token = equipment.terminal_register(
                    actor=user,
                    device_id=request.POST.get("device_id", ""),
                    holder=holder,
                    model=request.POST.get("model", ""),
                )
                messages.success(
                    request,
                    _("Terminal %(device)s registered.") % {"device": terminal.device_id},
                )
        except BusinessError as error:
            _refused(request, error)
    return render(
        request,
        "rollout/terminals.html",
        {
            "counts": equipment_reads.terminal_counts(user=user),
            "terminals": equipment_reads.terminal_list(user=user),
            "holders": user_list(user=user, active_only=True)[:500],
            "raw_token": raw_token,
            "may_register": user.has_role(Role.PROVINCE_ADMIN, Role.COUNTY_OFFICER),
            "may_set_quota": user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER),
        },
    )


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


@login_required
def bulletin(request: HttpRequest, period: str) -> HttpResponse:
    user = request_user(request)
    month = period_parse(period)
    return attachment(
        bulletin_pdf(user=user, period=month), "application/pdf", bulletin_name(user, month)
    )


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    """The rounds of progress reports; the province calls a new one here."""
    user = request_user(request)
    province = user.has_role(Role.PROVINCE_ADMIN)
    form = RoundForm(request.POST if request.method == "POST" and province else None)
    if form.is_bound and form.is_valid():
        try:
            supervision.round_open(actor=user, **form.cleaned_data)
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Round opened."))
            return redirect("progress")
    return render(
        request,
        "rollout/progress.html",
        {
            "rounds": supervision_reads.round_list(user=user),
            "form": form if province else None,
            "counties": len(supervision_reads.jurisdiction_counties(user=user)),
        },
    )


@login_required
def progress_round(request: HttpRequest, round_id: int) -> HttpResponse:
    """One round: each county on time, late, missing or not yet due; a county files here."""
    user = request_user(request)
    called = supervision_reads.round_get(user=user, round_id=round_id)
    standing = supervision_reads.round_standing(user=user, round=called)
    county = user.has_role(Role.COUNTY_OFFICER)
    own = next((s for s in standing if s.county.code == user.region_code), None)
    may_file = county and own is not None and own.report is None
    form = ReportForm(request.POST if request.method == "POST" and may_file else None)
    if form.is_bound and form.is_valid():
        try:
            supervision.report_file(
                actor=user, round=called, remarks=supervision.Remarks(**form.cleaned_data)
            )
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Report filed."))
            return redirect("progress-round", round_id=called.pk)
    return render(
        request,
        "rollout/progress_round.html",
        {
            "round": called,
            "standing": standing,
            "form": form if may_file else None,
            "reports": [
                (s, [(label, s.report.figures.get(key, 0)) for key, label in FIGURES])
                for s in standing
                if s.report is not None
            ],
        },
    )


@login_required
def inspections_page(request: HttpRequest) -> HttpResponse:
    """Inspection visits to the counties of the jurisdiction; the province or a city records
    one here."""
    user = request_user(request)
    inspector = user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    counties = [(c.code, c.name) for c in supervision_reads.jurisdiction_counties(user=user)]
    form = InspectionForm(
        request.POST if request.method == "POST" and inspector else None, counties=counties
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = supervision.inspection_record(
                actor=user,
                county=data["county"],
                visited_on=data["visited_on"],
                team=data["team"],
                findings=data["findings"],
                fixes=[supervision.Fix(text, day) for text, day in data["fixes"]],
            )
        except BusinessError as error:
            show_error(form, error, renamed={"fixes.1": "fixes"})
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("inspection", inspection_id=inspection.pk)
    page = Paginator(supervision_reads.inspection_list(user=user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "rollout/inspections.html",
        {"page": page, "form": form if inspector else None, "today": timezone.localdate()},
    )


@login_required
def inspection_page(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """One visit with its fixes; the county answers each open one."""
    user = request_user(request)
    inspection = supervision_reads.inspection_get(user=user, inspection_id=inspection_id)
    may_answer = user.has_role(Role.COUNTY_OFFICER) and user.region_code == inspection.county_id
    position = request.POST.get("position", "") if request.method == "POST" and may_answer else ""
    form = AnswerForm(request.POST if position else None)
    if form.is_bound and form.is_valid():
        fix = next((f for f in inspection.fixes.all() if str(f.position) == position), None)
        try:
            if fix is None:
                raise NotFound(_("No such fix."))
            supervision.fix_answer(actor=user, fix=fix, answer=form.cleaned_data["answer"])
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Answer recorded."))
            return redirect("inspection", inspection_id=inspection.pk)
    return render(
        request,
        "rollout/inspection.html",
        {
            "inspection": inspection,
            "form": form,
            "position": position,
            "may_answer": may_answer,
            "today": timezone.localdate(),
        },
    )


@login_required
def organisation_page(request: HttpRequest) -> HttpResponse:
    """Leading groups and liaison officers of the jurisdiction's agencies, and publicity; each
    agency names its own group and records its activities here."""
    user = request_user(request)
    officer = user.has_role(*organisation.OFFICERS)
    posted = request.POST.get("form") if request.method == "POST" and officer else None
    agencies = organisation_reads.agencies_with_groups(user=user)
    own = next((a for a in agencies if a.pk == user.agency_id), None)
    current = getattr(own, "leading_group", None) if own else None
    group_form = LeadingGroupForm(
        request.POST if posted == "group" else None,
        prefix="group",
        initial=(
            {
                "leader": current.leader,
                "members": current.members,
                "liaison_name": current.liaison_name,
                "liaison_phone": current.liaison_phone,
            }
            if current
            else None
        ),
    )
    publicity_form = PublicityForm(
        request.POST if posted == "publicity" else None,
        prefix="publicity",
        initial={"held_on": timezone.localdate()},
    )
    form = {"group": group_form, "publicity": publicity_form}.get(posted or "")
    if form is not None and form.is_valid():
        try:
            if posted == "group":
                organisation.leading_group_set(actor=user, **form.cleaned_data)
            else:
                organisation.publicity_record(actor=user, **form.cleaned_data)
        except BusinessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation")
    return render(
        request,
        "rollout/organisation.html",
        {
            "agencies": agencies,
            "publicity": Paginator(organisation_reads.publicity_list(user=user), 30).get_page(
                request.GET.get("page")
            ),
            "group_form": group_form if officer and own else None,
            "publicity_form": publicity_form if officer else None,
        },
    )
