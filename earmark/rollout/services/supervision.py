"""The province's supervision of the plan (Jilin §3, §4): rounds of progress reports (调度) that
the counties file from the system's figures and their own remarks, and inspection visits (督查)
whose required fixes the county answers one by one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import BusinessError, PermissionDenied, invalid
from earmark.core.validators import clean_text
from earmark.regions.models import Region
from earmark.rollout.errors import FIX_ANSWERED, REPORT_FILED, ROUND_EXISTS
from earmark.rollout.models import Inspection, InspectionFix, ProgressReport, ReportRound
from earmark.rollout.selectors.statistics import statistics

MAX_FIXES = 30


def _refuse(message: str, fields: dict[str, str]) -> BusinessError:
    return invalid(message, fields)


@transaction.atomic
def round_open(*, actor: User, title: str, since: date, until: date, due_on: date) -> ReportRound:
    """The province calls a round of progress reports for a period, due on a day."""
    require_role(actor, Role.PROVINCE_ADMIN)
    errors: dict[str, str] = {}
    name = clean_text(title, 100)
    if name is None:
        errors["title"] = _("Give the round a title (at most 100 characters).")
    if since > until:
        errors["until"] = _("The start of the period lies after its end.")
    if due_on < until:
        errors["due_on"] = _("Reports fall due after the period they cover.")
    if errors:
        raise _refuse(_("The round could not be opened."), errors)
    if ReportRound.objects.filter(since=since, until=until).exists():
        message = _("A round for this period exists already.")
        raise BusinessError(message, code=ROUND_EXISTS, fields={"since": message})
    try:
        with transaction.atomic():
            called = ReportRound.objects.create(
                title=name or "", since=since, until=until, due_on=due_on, created_by=actor
            )
    except IntegrityError as error:
        raise BusinessError(code=ROUND_EXISTS) from error
    audit_record(
        actor=actor,
        action="progress.round",
        obj=called,
        region_code=actor.region_code or "",
        details={"title": called.title, "due_on": due_on.isoformat()},
    )
    return called


@dataclass(frozen=True)
class Remarks:
    """What the county says beside the figures: the progress, problems and next steps."""

    progress: str
    problems: str = ""
    next_steps: str = ""


@transaction.atomic
def report_file(*, actor: User, round: ReportRound, remarks: Remarks) -> ProgressReport:
    """A county files its report for a round, once: the system's figures for the period as
    they stand now, and its remarks. Filed after the due day, it is late (and shown so)."""
    require_role(actor, Role.COUNTY_OFFICER)
    county = county_of(actor.region_code or "")
    if county is None or actor.region_code != county:
        raise PermissionDenied(_("Progress reports are filed by a county agency."))
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name in ("progress", "problems", "next_steps"):
        value = clean_text(
            getattr(remarks, name), 2000, required=name == "progress", multiline=True
        )
        if value is None:
            errors[name] = _("Required, at most 2,000 characters.")
        texts[name] = value or ""
    if errors:
        raise _refuse(_("The report could not be filed."), errors)
    # Reports of one round take turns, so that a county's second filing finds its first.
    round = ReportRound.objects.select_for_update().get(pk=round.pk)
    if ProgressReport.objects.filter(round=round, county_id=county).exists():
        raise BusinessError(
            _("Your county has filed its report for %(round)s.") % {"round": round.title},
            code=REPORT_FILED,
        )
    figures = statistics(user=actor, region=county, since=round.since, until=round.until)
    report = ProgressReport.objects.create(
        round=round,
        county=Region.objects.get(code=county),
        figures={key: int(value) for key, value in figures.total.figures.items()},
        filed_by=actor,
        filed_at=timezone.now(),
        **texts,
    )
    audit_record(
        actor=actor,
        action="progress.report",
        obj=report,
        region_code=county,
        details={"round": round.title, "late": timezone.localdate() > round.due_on},
    )
    return report


@dataclass(frozen=True)
class Fix:
    requirement: str
    deadline: date


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    county: str,
    visited_on: date,
    team: str,
    findings: str,
    fixes: list[Fix],
) -> Inspection:
    """The province or a city records its visit to a county of its jurisdiction, with the
    fixes it requires and their deadlines."""
    require_role(actor, Role.PROVINCE_ADMIN, Role.CITY_OFFICER)
    region = Region.objects.filter(code=county, level=Region.Level.COUNTY).first()
    if region is None:
        raise _refuse(
            _("Choose a county of your jurisdiction."),
            {"county": _("Choose a county of your jurisdiction.")},
        )
    require_region(actor, region.code)
    errors: dict[str, str] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit is recorded after it took place.")
    team_text = clean_text(team, 200)
    if team_text is None:
        errors["team"] = _("Name the team (at most 200 characters).")
    findings_text = clean_text(findings, 4000, multiline=True)
    if findings_text is None:
        errors["findings"] = _("Describe the findings (at most 4,000 characters).")
    if len(fixes) > MAX_FIXES:
        errors["fixes"] = _("At most %(n)d fixes.") % {"n": MAX_FIXES}
    for position, fix in enumerate(fixes[:MAX_FIXES], start=1):
        if clean_text(fix.requirement, 500) is None:
            errors[f"fixes.{position}"] = _("Describe the fix (at most 500 characters).")
        elif fix.deadline < visited_on:
            errors[f"fixes.{position}"] = _("The deadline lies before the visit.")
    if errors:
        raise _refuse(_("The inspection could not be recorded."), errors)
    assert actor.agency is not None  # require_role refuses users without an agency
    inspection = Inspection.objects.create(
        county=region,
        inspector=actor.agency,
        visited_on=visited_on,
        team=team_text or "",
        findings=findings_text or "",
        recorded_by=actor,
    )
    InspectionFix.objects.bulk_create(
        InspectionFix(
            inspection=inspection,
            position=position,
            requirement=fix.requirement.strip(),
            deadline=fix.deadline,
        )
        for position, fix in enumerate(fixes, start=1)
    )
    audit_record(
        actor=actor,
        action="inspection.record",
        obj=inspection,
        region_code=region.code,
        details={"visited_on": visited_on.isoformat(), "fixes": len(fixes)},
    )
    return inspection


@transaction.atomic
def fix_answer(*, actor: User, fix: InspectionFix, answer: str) -> InspectionFix:
    """The inspected county answers one required fix, once."""
    require_role(actor, Role.COUNTY_OFFICER)
    fix = InspectionFix.objects.select_for_update().select_related("inspection").get(pk=fix.pk)
    require_region(actor, fix.inspection.county_id)
    text = clean_text(answer, 1000, multiline=True)
    if text is None:
        raise _refuse(
            _("Say what was done (at most 1,000 characters)."),
            {"answer": _("Say what was done (at most 1,000 characters).")},
        )
    if fix.answered_at is not None:
        raise BusinessError(code=FIX_ANSWERED)
    fix.answer = text
    fix.answered_by = actor
    fix.answered_at = timezone.now()
    fix.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        action="inspection.answer",
        obj=fix.inspection,
        region_code=fix.inspection.county_id,
        details={"fix": fix.position},
    )
    return fix
