"""The counties' switch-on and acceptance, the milestones, terminals and training, the
statistics."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.accounts.selectors import user_get
from earmark.core.schemas import Day
from earmark.rollout.models import (
    Milestone,
    Stage,
    Terminal,
    Training,
)
from earmark.rollout.schemas import (
    BoardOut,
    CountyOut,
    MilestoneChange,
    MilestoneIO,
    NoteIn,
    QuotaIn,
    RequestIn,
    StatisticsOut,
    TerminalCountOut,
    TerminalCreated,
    TerminalIn,
    TerminalOut,
    TrainingIn,
    TrainingOut,
)
from earmark.rollout.selectors import counties as county_reads
from earmark.rollout.selectors import equipment as equipment_reads
from earmark.rollout.selectors.counties import CountyProgress, county_progress
from earmark.rollout.selectors.milestones import milestone_list as milestones_read
from earmark.rollout.selectors.milestones import rollout_board
from earmark.rollout.selectors.statistics import statistics
from earmark.rollout.services import counties, equipment, milestones

router = Router(tags=["rollout"])


def _county(progress: CountyProgress) -> dict[str, Any]:
    decision = progress.decision
    return {
        "code": progress.code,
        "name": progress.name,
        "stage": progress.stage.name.lower(),
        "stage_label": str(Stage(progress.stage).label),
        "premises": progress.premises,
        "verified": progress.verified,
        "inventory": progress.inventory,
        "trained": progress.trained,
        "planned_on": decision.planned_on if decision else None,
        "requested_at": decision.requested_at if decision else None,
        "enabled_at": decision.enabled_at if decision else None,
        "accepted_at": decision.accepted_at if decision else None,
        "missing": progress.missing() if progress.stage < Stage.REQUESTED else [],
    }


@router.get("/counties", response=list[CountyOut], summary="Counties and their steps")
@paginate
def counties_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_county(c) for c in county_reads.counties_list(user=request_user(request))]


def _one(request: HttpRequest, code: str) -> dict[str, Any]:
    return _county(county_progress(user=request_user(request), code=code))


@router.post(
    "/counties/{code}/request",
    response=CountyOut,
    summary="The county asks for the new functions from a planned date",
)
def counties_request(request: HttpRequest, code: str, payload: RequestIn) -> dict[str, Any]:
    counties.county_request(
        actor=request_user(request), code=code, planned_on=payload.planned_on, note=payload.note
    )
    return _one(request, code)


@router.post("/counties/{code}/enable", response=CountyOut, summary="The province enables a county")
def counties_enable(request: HttpRequest, code: str) -> dict[str, Any]:
    counties.county_enable(actor=request_user(request), code=code)
    return _one(request, code)


@router.post(
    "/counties/{code}/accept",
    response=CountyOut,
    summary="The province accepts (验收) a county",
)
def counties_accept(request: HttpRequest, code: str, payload: NoteIn) -> dict[str, Any]:
    counties.county_accept(actor=request_user(request), code=code, note=payload.note)
    return _one(request, code)


@router.get("/milestones", response=list[MilestoneIO], summary="The plan's milestones")
@paginate
def milestones_list(request: HttpRequest) -> list[Milestone]:
    return list(milestones_read(user=request_user(request)))


@router.put(
    "/milestones",
    response=list[MilestoneIO],
    summary="The province edits the milestones (all rows or none)",
)
def milestones_set(request: HttpRequest, payload: list[MilestoneChange]) -> list[Milestone]:
    rows = [{k: v for k, v in row.dict().items() if v is not None} for row in payload]
    return milestones.milestones_update(actor=request_user(request), rows=rows)


@router.get(
    "/rollout",
    response=BoardOut,
    summary="Every city and county against the milestones on a day (today by default)",
)
def rollout_get(request: HttpRequest, on: Day | None = None) -> dict[str, Any]:
    board = rollout_board(user=request_user(request), on=on or timezone.localdate())
    return {
        "on": board.on,
        "cities": [
            {
                "code": city.code,
                "name": city.name,
                "overdue": city.overdue,
                "milestones": [
                    {
                        "key": m.milestone.key,
                        "title": m.milestone.title,
                        "due": m.milestone.due,
                        "reached": m.reached,
                        "needed": m.needed,
                        "met_on": m.met_on,
                        "state": m.state,
                    }
                    for m in city.milestones
                ],
                "counties": [
                    {**_county(row.progress), "overdue": row.overdue} for row in city.counties
                ],
            }
            for city in board.cities
        ],
    }


@router.get("/terminals", response=list[TerminalOut], summary="Terminals deployed")
@paginate
def terminals_list(request: HttpRequest) -> list[Terminal]:
    return equipment_reads.terminal_list(user=request_user(request))


@router.get(
    "/terminal-quotas",
    response=list[TerminalCountOut],
    summary="Terminals each agency needs against those deployed",
)
@paginate
def terminal_quotas_list(request: HttpRequest) -> list[Any]:
    return equipment_reads.terminal_counts(user=request_user(request))


@router.post(
    "/terminals",
    response={201: TerminalCreated},
    summary="Register a terminal for a holder; its API token is shown once",
)
def terminals_create(request: HttpRequest, payload: TerminalIn) -> Status[Terminal]:
    user = request_user(request)
    holder = user_get(user=user, user_id=payload.holder_id)
    terminal, raw = equipment.terminal_register(
        actor=user, device_id=payload.device_id, holder=holder, model=payload.model
    )
    terminal.raw_token = raw  # type: ignore[attr-defined]
    return Status(201, terminal)


@router.put(
    "/terminal-quotas", response=TerminalCountOut, summary="Set the terminals an agency needs"
)
def terminal_quotas_set(request: HttpRequest, payload: QuotaIn) -> Any:
    user = request_user(request)
    equipment.terminal_quota_set(
        actor=user, region_code=payload.region_code, required=payload.required
    )
    return next(
        c
        for c in equipment_reads.terminal_counts(user=user)
        if c.agency.region_id == payload.region_code
    )


@router.get("/trainings", response=list[TrainingOut], summary="Training sessions")
@paginate
def trainings_list(request: HttpRequest) -> list[Training]:
    return equipment_reads.training_list(user=request_user(request))


@router.post("/trainings", response={201: TrainingOut}, summary="Record a training session")
def trainings_create(request: HttpRequest, payload: TrainingIn) -> Status[Training]:
    training = equipment.training_record(
        actor=request_user(request),
        kind=payload.kind,
        held_on=payload.held_on,
        title=payload.title,
        attendance=[(a.region_code, a.attendees) for a in payload.attendance],
    )
    return Status(201, training)


@router.get(
    "/statistics",
    response=StatisticsOut,
    summary="Figures per region one level down, for a period (this year by default)",
)
def statistics_get(
    request: HttpRequest,
    region: str | None = None,
    since: Day | None = Query(None, alias="from"),  # noqa: B008
    until: Day | None = Query(None, alias="to"),  # noqa: B008
) -> dict[str, Any]:
    stats = statistics(user=request_user(request), region=region, since=since, until=until)
    return {
        "region": stats.region.code,
        "since": stats.since,
        "until": stats.until,
        "rows": stats.rows,
        "total": stats.total,
        "rejected_by_reason": [{"reason": r, "count": n} for r, n in stats.rejected_by_reason],
    }
