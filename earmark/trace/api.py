from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.schemas import Day, In
from earmark.eartags.codes import format_tag
from earmark.trace.models import Case, Investigation, TraceRequest
from earmark.trace.selectors import cases as case_reads
from earmark.trace.selectors.anomalies import anomalies
from earmark.trace.selectors.investigations import investigation_alerts, investigation_get
from earmark.trace.selectors.traces import (
    run_premises_trace,
    tag_trace,
)
from earmark.trace.selectors.vehicles import VehicleTrace, vehicle_trace
from earmark.trace.services import cases
from earmark.trace.services.cases import CaseData, Evidence
from earmark.trace.services.investigations import investigation_open

router = Router(tags=["trace"])
# Investigations and anomalies live at the API root: /api/v1/investigations, /api/v1/anomalies.
investigations_router = Router(tags=["trace"])


class StepOut(Schema):
    at: datetime
    kind: str
    title: str
    place: str
    document: str
    details: dict[str, Any]


class TagTraceOut(Schema):
    query: str
    tags: list[str]
    species: str
    state: str
    steps: list[StepOut]


@router.get(
    "/tags/{number}/trace",
    response=TagTraceOut,
    summary="The whole chain of the animal carrying a tag",
)
def tags_trace(request: HttpRequest, number: str) -> Any:
    return tag_trace(user=request_user(request), text=number)


class NodeOut(Schema):
    code: str
    name: str
    kind: str
    county_code: str
    hop: int


class LinkOut(Schema):
    origin: str
    destination: str
    animals: int
    certificates: list[str]
    first_at: datetime | None
    last_at: datetime | None


class PremisesTraceOut(Schema):
    start: str
    direction: str
    animals: int
    nodes: list[NodeOut]
    links: list[LinkOut]


@router.get(
    "/premises/{code}/trace",
    response=PremisesTraceOut,
    summary="Backward and forward from a premises",
)
def premises_trace(
    request: HttpRequest,
    code: str,
    direction: str = "forward",
    since: Day | None = Query(None, alias="from"),  # noqa: B008
    until: Day | None = Query(None, alias="to"),  # noqa: B008
    hops: int = 3,
) -> dict[str, Any]:
    trace = run_premises_trace(request_user(request), code, direction, since, until, hops)
    return {
        "start": trace.start,
        "direction": trace.direction,
        "animals": trace.animals,
        "nodes": list(trace.nodes.values()),
        "links": list(trace.links.values()),
    }


class InvestigationIn(In):
    keeps_in = Investigation
    reason: str
    tag: str = ""
    premises: str = ""
    since: date | None = None
    until: date | None = None
    hops: int = 3


class AlertStateOut(Schema):
    county_code: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    action_taken: str


class TraceRequestOut(Schema):
    province: str = Field(description="The province asked")
    certificates: list[str] = Field(description="Its certificates the investigation reached")
    asked_at: datetime = Field(alias="created_at")
    answered_at: datetime | None
    farms: list[dict[str, Any]] = Field(
        alias="answer", description="The farms they passed, as that province signed them"
    )


class InvestigationOut(Schema):
    number: str
    subject_tag: str | None
    subject_premises: str
    since: date
    until: date
    hops: int
    reason: str
    summary: dict[str, Any]
    opened_at: datetime
    alerts: list[AlertStateOut]
    requests: list[TraceRequestOut] = Field(
        description="Questions to the provinces whose certificates the trace reached"
    )

    @staticmethod
    def resolve_subject_tag(i: Investigation) -> str | None:
        return format_tag(i.subject_tag) if i.subject_tag else None

    @staticmethod
    def resolve_subject_premises(i: Investigation) -> str:
        return i.subject_premises.code

    @staticmethod
    def resolve_requests(i: Investigation) -> list[TraceRequest]:
        return list(i.requests.all())

    @staticmethod
    def resolve_alerts(i: Investigation) -> list[dict[str, Any]]:
        return [
            {
                "county_code": a.county_id,
                "acknowledged_by": str(a.acknowledged_by) if a.acknowledged_by else None,
                "acknowledged_at": a.acknowledged_at,
                "action_taken": a.action_taken,
            }
            for a in investigation_alerts(investigation=i)
        ]


@investigations_router.post(
    "/investigations", response={201: InvestigationOut}, summary="Open an investigation"
)
def investigations_create(request: HttpRequest, payload: InvestigationIn) -> Status[Investigation]:
    investigation = investigation_open(
        actor=request_user(request),
        reason=payload.reason,
        tag=payload.tag,
        premises_code=payload.premises,
        since=payload.since,
        until=payload.until,
        hops=payload.hops,
    )
    return Status(201, investigation)


@investigations_router.get(
    "/investigations/{number}", response=InvestigationOut, summary="One investigation"
)
def investigations_get(request: HttpRequest, number: str) -> Investigation:
    return investigation_get(user=request_user(request), number=number)


class AnomalyOut(Schema):
    """One kind of anomaly found in the jurisdiction, with up to 50 of its cases."""

    kind: str = Field(description="what kind, e.g. overdue_certificate, unregistered_tag")
    title: str = Field(description="what it is, in the request's language")
    evidence: list[str] = Field(description="each case found, as a line to read")


@investigations_router.get(
    "/anomalies",
    response=list[AnomalyOut],
    summary="Anomalies in your jurisdiction, with evidence",
)
@paginate
def anomalies_list(request: HttpRequest) -> list[Any]:
    return anomalies(user=request_user(request))


class EvidenceIn(In):
    kind: Literal["tag", "premises", "declaration", "certificate", "checkpoint_check", "refusal"]
    ref: str = Field(max_length=40)


class CaseIn(In):
    keeps_in = Case
    article: int = Field(ge=24, le=29, description="The article of MoA Order 13 (24 to 29)")
    party_kind: Case.Party
    party_ref: str = Field(
        "", description="Premises code, manufacturer id, staff username or agency region code"
    )
    party_name: str = Field("", description="A dealer's name (no register yet)")
    facts: str
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50)
    source: Case.Source = Case.Source.MANUAL
    source_ref: str = Field("", description="The anomaly, refusal or check the case comes from")


class CaseDecisionIn(In):
    keeps_in = Case
    decision: str
    penalty: str = ""


class CaseCloseIn(In):
    keeps_in = Case
    columns: ClassVar[dict[str, str]] = {"note": "closing_note"}
    note: str = ""


class EvidenceOut(Schema):
    kind: str
    ref: str
    label: str


class CaseOut(Schema):
    number: str
    county_code: str
    status: str
    source: str
    source_ref: str
    article: int
    party_kind: str
    party_ref: str
    party_name: str
    facts: str
    evidence: list[EvidenceOut]
    decision: str
    penalty: str
    decided_at: datetime | None
    closing_note: str
    closed_at: datetime | None
    opened_at: datetime


@investigations_router.get("/cases", response=list[CaseOut], summary="The case register")
@paginate
def cases_list(request: HttpRequest, status: str = "") -> object:
    """``status``: open, decided or closed."""
    return case_reads.case_list(user=request_user(request), status=status)


@investigations_router.post(
    "/cases", response={201: CaseOut}, summary="Open a case (立案, Order 13 art. 24–29)"
)
def cases_create(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    data = CaseData(
        **{
            **payload.dict(exclude={"evidence"}),
            "evidence": [Evidence(kind=e.kind, ref=e.ref) for e in payload.evidence],
        }
    )
    return Status(201, cases.case_open(actor=request_user(request), data=data))


@investigations_router.get("/cases/{number}", response=CaseOut, summary="One case")
def cases_get(request: HttpRequest, number: str) -> Case:
    return case_reads.case_get(user=request_user(request), number=number)


@investigations_router.post(
    "/cases/{number}/decide", response=CaseOut, summary="Record the decision and the penalty"
)
def cases_decide(request: HttpRequest, number: str, payload: CaseDecisionIn) -> Case:
    user = request_user(request)
    case = case_reads.case_get(user=user, number=number)
    return cases.case_decide(
        actor=user, case=case, decision=payload.decision, penalty=payload.penalty
    )


@investigations_router.post("/cases/{number}/close", response=CaseOut, summary="Close a case")
def cases_close(request: HttpRequest, number: str, payload: CaseCloseIn) -> Case:
    user = request_user(request)
    case = case_reads.case_get(user=user, number=number)
    return cases.case_close(actor=user, case=case, note=payload.note)


class TripOut(Schema):
    certificate: str
    at: datetime
    loaded_at: str
    loaded_code: str
    delivered_to: str
    delivered_code: str
    quantity: int
    species: str
    disinfection: str = Field(description="how the vehicle was disinfected before loading")


class VehicleTraceOut(Schema):
    plate: str
    since: date
    until: date
    trips: list[TripOut]
    premises: list[tuple[str, str]] = Field(description="Every premises served: code, name")


@router.get(
    "/vehicles/{plate}/trace",
    response=VehicleTraceOut,
    summary="Every premises a vehicle loaded at or delivered to in a period (30 days by default)",
)
def vehicles_trace(
    request: HttpRequest,
    plate: str,
    since: Day | None = Query(None, alias="from"),  # noqa: B008
    until: Day | None = Query(None, alias="to"),  # noqa: B008
) -> VehicleTrace:
    return vehicle_trace(user=request_user(request), plate=plate, since=since, until=until)
