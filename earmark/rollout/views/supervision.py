"""Supervision pages: progress rounds and reports, inspections and their fixes, the leading
group and publicity."""

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

from earmark.accounts.access import request_user
from earmark.accounts.models import Role, User
from earmark.core.errors import BusinessError, NotFound
from earmark.core.forms import form_save, show_error
from earmark.rollout.forms import (
    AnswerForm,
    InspectionForm,
    LeadingGroupForm,
    PublicityForm,
    ReportForm,
    RoundForm,
)
from earmark.rollout.selectors import organisation as organisation_reads
from earmark.rollout.selectors import supervision as supervision_reads
from earmark.rollout.selectors.statistics import FIGURES
from earmark.rollout.services import organisation, supervision


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
    own = next((s for s in standing if s.county.code == user.region_code), None)
    may_file = user.has_role(Role.COUNTY_OFFICER) and own is not None and own.report is None
    form = ReportForm(request.POST if request.method == "POST" and may_file else None)
    saved = form_save(
        request,
        form if form.is_bound else None,
        lambda v: supervision.report_file(
            actor=user, round=called, remarks=supervision.Remarks(**v)
        ),
        done=reverse("progress-round", kwargs={"round_id": called.pk}),
        message=_("Report filed."),
    )
    if saved:
        return saved
    reports = [
        (s, [(label, s.report.figures.get(key, 0)) for key, label in FIGURES])
        for s in standing
        if s.report is not None
    ]
    context = {"round": called, "standing": standing, "form": form if may_file else None}
    return render(request, "rollout/progress_round.html", {**context, "reports": reports})


@login_required
def inspections_page(request: HttpRequest) -> HttpResponse:
    """Inspection visits to the counties of the jurisdiction; the province or a city records
    one here."""
    user = request_user(request)
    inspector = user.has_role(Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    counties = [(c.code, c.name) for c in supervision_reads.jurisdiction_counties(user=user)]
    posted = request.method == "POST" and inspector
    form = InspectionForm(request.POST if posted else None, counties=counties)
    saved = form_save(
        request,
        form if posted else None,
        lambda v: _inspection(user, v),
        done=lambda inspection: reverse("inspection", kwargs={"inspection_id": inspection.pk}),
        message=_("Inspection recorded."),
        renamed={"fixes.1": "fixes"},
    )
    if saved:
        return saved
    inspections = supervision_reads.inspection_list(user=user)
    page = Paginator(inspections, 20).get_page(request.GET.get("page"))
    context = {"page": page, "form": form if inspector else None, "today": timezone.localdate()}
    return render(request, "rollout/inspections.html", context)


def _inspection(user: User, data: dict[str, Any]) -> Any:
    return supervision.inspection_record(
        actor=user,
        county=data["county"],
        visited_on=data["visited_on"],
        team=data["team"],
        findings=data["findings"],
        fixes=[supervision.Fix(text, day) for text, day in data["fixes"]],
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
    group_form = _group_form(request.POST if posted == "group" else None, own)
    publicity_data = request.POST if posted == "publicity" else None
    initial = {"held_on": timezone.localdate()}
    publicity_form = PublicityForm(publicity_data, prefix="publicity", initial=initial)
    if posted in ("group", "publicity"):
        form, save = (
            (group_form, organisation.leading_group_set)
            if posted == "group"
            else (publicity_form, organisation.publicity_record)
        )
        saved = form_save(request, form, lambda v: save(actor=user, **v), done="organisation")
        if saved:
            return saved
    publicity = Paginator(organisation_reads.publicity_list(user=user), 30)
    context = {
        "agencies": agencies,
        "publicity": publicity.get_page(request.GET.get("page")),
        "group_form": group_form if officer and own else None,
        "publicity_form": publicity_form if officer else None,
    }
    return render(request, "rollout/organisation.html", context)


def _group_form(data: Any, own: Any) -> LeadingGroupForm:
    current = getattr(own, "leading_group", None) if own else None
    fields = ("leader", "members", "liaison_name", "liaison_phone")
    initial = {name: getattr(current, name) for name in fields} if current else None
    return LeadingGroupForm(data, prefix="group", initial=initial)
