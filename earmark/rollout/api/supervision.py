"""Supervision: progress rounds and reports (调度), inspections (督查) with their fixes,
leading groups and publicity."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.errors import NotFound
from earmark.core.schemas import INT64
from earmark.rollout.models import (
    Inspection,
    ProgressReport,
    Publicity,
    ReportRound,
)
from earmark.rollout.schemas import (
    AgencyGroupOut,
    AnswerIn,
    InspectionVisitIn,
    InspectionVisitOut,
    LeadingGroupIn,
    PublicityIn,
    PublicityOut,
    ReportIn,
    ReportOut,
    RoundIn,
    RoundOut,
    RoundStandingOut,
)
from earmark.rollout.selectors import organisation as organisation_reads
from earmark.rollout.selectors import supervision as supervision_reads
from earmark.rollout.services import organisation, supervision

supervision_router = Router(tags=["supervision"])


@supervision_router.get(
    "/progress-rounds", response=list[RoundOut], summary="Rounds of progress reports"
)
@paginate
def progress_rounds_list(request: HttpRequest) -> object:
    return supervision_reads.round_list(user=request_user(request))


@supervision_router.post(
    "/progress-rounds",
    response={201: RoundOut},
    summary="Call a round of progress reports (调度, province)",
)
def progress_rounds_create(request: HttpRequest, payload: RoundIn) -> Status[ReportRound]:
    user = request_user(request)
    called = supervision.round_open(actor=user, **payload.dict())
    return Status(201, supervision_reads.round_get(user=user, round_id=called.pk))


@supervision_router.get(
    "/progress-rounds/{round_id}",
    response=RoundStandingOut,
    summary="One round: each county on time, late, missing or not yet due",
)
def progress_rounds_get(request: HttpRequest, round_id: int) -> dict[str, Any]:
    user = request_user(request)
    called = supervision_reads.round_get(user=user, round_id=round_id)
    standing = supervision_reads.round_standing(user=user, round=called)
    return {
        **{f: getattr(called, f) for f in ("id", "title", "since", "until", "due_on", "filed")},
        "counties": [
            {
                "county": s.county.code,
                "name": s.county.name,
                "state": s.state,
                "filed_at": s.report.filed_at if s.report else None,
            }
            for s in standing
        ],
    }


@supervision_router.get(
    "/progress-reports", response=list[ReportOut], summary="Progress reports filed"
)
@paginate
def progress_reports_list(
    request: HttpRequest, round_id: int | None = Query(None, ge=1, le=INT64)
) -> object:
    return supervision_reads.report_list(user=request_user(request), round_id=round_id)


@supervision_router.post(
    "/progress-reports", response={201: ReportOut}, summary="File your county's progress report"
)
def progress_reports_create(request: HttpRequest, payload: ReportIn) -> Status[ProgressReport]:
    user = request_user(request)
    called = supervision_reads.round_get(user=user, round_id=payload.round_id)
    remarks = supervision.Remarks(
        progress=payload.progress, problems=payload.problems, next_steps=payload.next_steps
    )
    return Status(201, supervision.report_file(actor=user, round=called, remarks=remarks))


@supervision_router.get(
    "/inspections", response=list[InspectionVisitOut], summary="Inspection visits (督查)"
)
@paginate
def inspections_list(request: HttpRequest) -> object:
    return supervision_reads.inspection_list(user=request_user(request))


@supervision_router.post(
    "/inspections",
    response={201: InspectionVisitOut},
    summary="Record a visit to a county and the fixes it requires (province, city)",
)
def inspections_create(request: HttpRequest, payload: InspectionVisitIn) -> Status[Inspection]:
    user = request_user(request)
    inspection = supervision.inspection_record(
        actor=user,
        county=payload.county,
        visited_on=payload.visited_on,
        team=payload.team,
        findings=payload.findings,
        fixes=[supervision.Fix(f.requirement, f.deadline) for f in payload.fixes],
    )
    return Status(201, supervision_reads.inspection_get(user=user, inspection_id=inspection.pk))


@supervision_router.post(
    "/inspections/{inspection_id}/fixes/{position}/answer",
    response=InspectionVisitOut,
    summary="The county answers one required fix",
)
def inspections_fixes_answer(
    request: HttpRequest, inspection_id: int, position: int, payload: AnswerIn
) -> Inspection:
    user = request_user(request)
    inspection = supervision_reads.inspection_get(user=user, inspection_id=inspection_id)
    fix = next((f for f in inspection.fixes.all() if f.position == position), None)
    if fix is None:
        raise NotFound()
    supervision.fix_answer(actor=user, fix=fix, answer=payload.answer)
    return supervision_reads.inspection_get(user=user, inspection_id=inspection_id)


@supervision_router.get(
    "/leading-groups",
    response=list[AgencyGroupOut],
    summary="Each agency's leading group and liaison officer (empty where not named)",
)
@paginate
def leading_groups_list(request: HttpRequest) -> object:
    return organisation_reads.agencies_with_groups(user=request_user(request))


@supervision_router.put(
    "/leading-groups",
    response=AgencyGroupOut,
    summary="Name your agency's leading group and liaison officer",
)
def leading_groups_set(request: HttpRequest, payload: LeadingGroupIn) -> object:
    user = request_user(request)
    group = organisation.leading_group_set(actor=user, **payload.dict())
    return organisation_reads.agencies_with_groups(user=user).get(pk=group.agency_id)


@supervision_router.get("/publicity", response=list[PublicityOut], summary="Publicity activities")
@paginate
def publicity_list(request: HttpRequest) -> object:
    return organisation_reads.publicity_list(user=request_user(request))


@supervision_router.post(
    "/publicity", response={201: PublicityOut}, summary="Record a publicity activity"
)
def publicity_create(request: HttpRequest, payload: PublicityIn) -> Status[Publicity]:
    return Status(201, organisation.publicity_record(actor=request_user(request), **payload.dict()))
