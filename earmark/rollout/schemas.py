"""What the rollout API takes and answers: its request and response schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from earmark.core.schemas import Day, In, RegionCode
from earmark.rollout.models import (
    CountyRollout,
    Inspection,
    InspectionFix,
    LeadingGroup,
    Milestone,
    ProgressReport,
    Publicity,
    ReportRound,
    Terminal,
    Training,
)


class CountyOut(Schema):
    code: str
    name: str
    stage: str
    stage_label: str
    premises: int
    verified: int
    inventory: bool
    trained: bool
    planned_on: date | None
    requested_at: datetime | None
    enabled_at: datetime | None
    accepted_at: datetime | None
    missing: list[str]


class RequestIn(In):
    keeps_in = CountyRollout
    planned_on: date | None = None
    note: str = ""


class NoteIn(In):
    keeps_in = CountyRollout
    note: str = ""


class MilestoneIO(Schema):
    key: str
    title: str
    measure: str
    at_least: int
    share: int
    due: date


class MilestoneChange(In):
    keeps_in = Milestone
    key: str
    title: str | None = None
    at_least: int | None = None
    share: int | None = None
    due: date | None = None


class CityMilestoneOut(Schema):
    key: str
    title: str
    due: date
    reached: int
    needed: int
    met_on: date | None
    state: str


class BoardCountyOut(CountyOut):
    overdue: list[str]


class CityOut(Schema):
    code: str
    name: str
    overdue: bool
    milestones: list[CityMilestoneOut]
    counties: list[BoardCountyOut]


class BoardOut(Schema):
    on: date
    cities: list[CityOut]


class TerminalCountOut(Schema):
    """An agency's terminals: how many it needs, how many are deployed, how many it lacks."""

    agency: str = Field(validation_alias="agency.name")
    region_code: str = Field(validation_alias="agency.region_id")
    required: int
    deployed: int
    shortfall: int


class TerminalOut(Schema):
    id: int
    device_id: str
    model: str
    agency: str
    holder: str
    active: bool
    registered_at: datetime

    @staticmethod
    def resolve_agency(t: Terminal) -> str:
        return t.agency.name

    @staticmethod
    def resolve_holder(t: Terminal) -> str:
        return str(t.holder)

    @staticmethod
    def resolve_active(t: Terminal) -> bool:
        return t.token is not None and t.token.is_active


class TerminalIn(In):
    keeps_in = Terminal
    device_id: str
    holder_id: int
    model: str = ""


class TerminalCreated(TerminalOut):
    token: str = Field(alias="raw_token")


class QuotaIn(In):
    region_code: str
    required: int


class AttendanceIO(In):
    region_code: RegionCode
    attendees: int


class TrainingIn(In):
    keeps_in = Training
    kind: Training.Kind
    held_on: date
    title: str
    attendance: list[AttendanceIO]


class TrainingOut(Schema):
    id: int
    kind: str
    organiser: str
    held_on: date
    title: str
    attendance: list[AttendanceIO]

    @staticmethod
    def resolve_organiser(t: Training) -> str:
        return t.organiser.name

    @staticmethod
    def resolve_attendance(t: Training) -> list[dict[str, Any]]:
        return [
            {"region_code": a.agency.region_id, "attendees": a.attendees}
            for a in t.attendance.all()
        ]


class StatisticsRowOut(Schema):
    code: str
    name: str
    figures: dict[str, int]


class ReasonOut(Schema):
    reason: str
    count: int


class StatisticsOut(Schema):
    region: str
    since: date
    until: date
    rows: list[StatisticsRowOut]
    total: StatisticsRowOut
    rejected_by_reason: list[ReasonOut]


class RoundIn(In):
    keeps_in = ReportRound
    title: str
    since: Day
    until: Day
    due_on: Day


class RoundOut(Schema):
    id: int
    title: str
    since: date
    until: date
    due_on: date
    filed: int = Field(description="Counties of your jurisdiction that filed")


class StandingOut(Schema):
    county: str
    name: str
    state: str = Field(description="on_time, late, missing (due and not filed) or pending")
    filed_at: datetime | None


class RoundStandingOut(RoundOut):
    counties: list[StandingOut]


class ReportIn(In):
    keeps_in = ProgressReport
    round_id: int
    progress: str
    problems: str = ""
    next_steps: str = ""


class ReportOut(Schema):
    id: int
    round_id: int
    county: str = Field(alias="county_id")
    figures: dict[str, int]
    progress: str
    problems: str
    next_steps: str
    filed_at: datetime
    late: bool

    @staticmethod
    def resolve_late(report: ProgressReport) -> bool:
        return timezone.localtime(report.filed_at).date() > report.round.due_on


class FixIn(In):
    keeps_in = InspectionFix
    requirement: str
    deadline: Day


class InspectionVisitIn(In):
    keeps_in = Inspection
    county: RegionCode
    visited_on: Day
    team: str
    findings: str
    fixes: list[FixIn] = Field(default_factory=list, max_length=30)


class FixOut(Schema):
    position: int
    requirement: str
    deadline: date
    answer: str
    answered_at: datetime | None
    overdue: bool

    @staticmethod
    def resolve_overdue(fix: InspectionFix) -> bool:
        return fix.overdue_on(timezone.localdate())


class InspectionVisitOut(Schema):
    id: int
    county: str = Field(alias="county_id")
    inspector: str
    visited_on: date
    team: str
    findings: str
    fixes: list[FixOut]

    @staticmethod
    def resolve_inspector(inspection: Inspection) -> str:
        return inspection.inspector.name

    @staticmethod
    def resolve_fixes(inspection: Inspection) -> list[InspectionFix]:
        return list(inspection.fixes.all())


class AnswerIn(In):
    keeps_in = InspectionFix
    answer: str


class LeadingGroupIn(In):
    keeps_in = LeadingGroup
    leader: str = Field(description="Head of the leading group")
    members: str = ""
    liaison_name: str
    liaison_phone: str


class AgencyGroupOut(Schema):
    region_code: str = Field(alias="region_id")
    agency: str = Field(alias="name")
    leader: str | None
    members: str | None
    liaison_name: str | None
    liaison_phone: str | None

    @staticmethod
    def _group(agency: Any) -> LeadingGroup | None:
        try:
            return agency.leading_group  # type: ignore[no-any-return]
        except LeadingGroup.DoesNotExist:
            return None

    @staticmethod
    def resolve_leader(agency: Any) -> str | None:
        group = AgencyGroupOut._group(agency)
        return group.leader if group else None

    @staticmethod
    def resolve_members(agency: Any) -> str | None:
        group = AgencyGroupOut._group(agency)
        return group.members if group else None

    @staticmethod
    def resolve_liaison_name(agency: Any) -> str | None:
        group = AgencyGroupOut._group(agency)
        return group.liaison_name if group else None

    @staticmethod
    def resolve_liaison_phone(agency: Any) -> str | None:
        group = AgencyGroupOut._group(agency)
        return group.liaison_phone if group else None


class PublicityIn(In):
    keeps_in = Publicity
    kind: Publicity.Kind
    held_on: Day
    title: str
    reach: int = Field(ge=1, le=10_000_000, description="People or copies reached")


class PublicityOut(Schema):
    id: int
    organiser: str
    kind: str
    held_on: date
    title: str
    reach: int

    @staticmethod
    def resolve_organiser(activity: Publicity) -> str:
        return activity.organiser.name
