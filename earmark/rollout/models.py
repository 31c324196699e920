"""The county-by-county rollout of the Jilin plan (§3–4): each county's enablement, the
province's milestones, mobile terminals and training sessions."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earmark.accounts.models import Agency, ApiToken
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


class Stage(models.IntegerChoices):
    """Where a county stands. The first three steps after preparing are derived from its data
    (verified farms, registered inventory, training); the last three are decisions."""

    PREPARING = 0, _("Preparing")
    FARMS_VERIFIED = 1, _("Farms verified")
    INVENTORY_REGISTERED = 2, _("Inventory registered")
    TRAINED = 3, _("Trained")
    REQUESTED = 4, _("Enablement requested")
    ENABLED = 5, _("Enabled")
    ACCEPTED = 6, pgettext_lazy("rollout", "Accepted")


class CountyRollout(models.Model):
    """A county's decisions: its request (with a planned date), the province's enablement and
    acceptance (验收). A county with no row has decided nothing yet."""

    county = models.OneToOneField(
        Region, primary_key=True, on_delete=models.PROTECT, related_name="rollout"
    )
    planned_on = models.DateField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When it was switched on is a fact of the region (``Region.enabled_at``); who did it is here.
    enabled_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["county_id"]

    def __str__(self) -> str:
        return str(self.county_id)

    @property
    def enabled_at(self) -> datetime | None:
        return self.county.enabled_at


class Milestone(models.Model):
    """A dated target of the plan, per city: by ``due``, at least ``at_least`` counties and at
    least ``share`` per cent of the city's counties have reached ``measure``."""

    class Measure(models.TextChoices):
        PREPARED = "prepared", _("Preparation done")
        ENABLED = "enabled", _("Enabled")
        ACCEPTED = "accepted", pgettext_lazy("rollout", "Accepted")

    key = models.SlugField(max_length=32, unique=True)
    title = models.CharField(max_length=100)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    at_least = models.PositiveSmallIntegerField(default=0)
    share = models.PositiveSmallIntegerField(default=0)
    due = models.DateField()
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "key"]
        constraints = [
            models.CheckConstraint(condition=models.Q(share__lte=100), name="milestone_share")
        ]

    def __str__(self) -> str:
        return self.title


class TerminalQuota(models.Model):
    """How many 动监e通 terminals an agency must have (吉政发〔2014〕11号)."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="terminal_quota")
    required = models.PositiveIntegerField()
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.required}"


class Terminal(models.Model):
    """A mobile terminal handed to a holder, with the API token it signs in with."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="terminals")
    device_id = models.CharField(max_length=40, unique=True)
    model = models.CharField(max_length=60, blank=True)
    holder = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="terminals")
    token = models.OneToOneField(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="terminal"
    )
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "device_id"]

    def __str__(self) -> str:
        return self.device_id


class Training(models.Model):
    """A training session: trainers trained by the province or city (师资培训), or users trained
    by the county (使用培训), with the attendees each agency sent."""

    class Kind(models.TextChoices):
        TRAINER = "trainer", _("Trainer training")
        USER = "user", _("User training")
        # For the people the plan reaches beyond the staff (§2(3)): attendees are counted per
        # township (or county) they came from.
        FARM = "farm", _("Farmer training")
        DEALER = "dealer", _("Dealer training")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    organiser = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="trainings")
    held_on = models.DateField()
    title = models.CharField(max_length=100)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attendees = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training", "agency"], name="attendance_unique"),
            models.CheckConstraint(condition=models.Q(attendees__gt=0), name="attendance_some"),
        ]

    def __str__(self) -> str:
        return f"{self.training_id}:{self.agency_id}"


class Bulletin(models.Model):
    """A bulletin (通报): drafted, reviewed by a second official, then issued. Its document
    number (文号) is taken at issue, in issue order, per region and year; its figures are frozen
    at issue in the stored PDF, signed with the province's key and its hash written to the
    audit chain, so that every later download gives the same bytes. A correction is a new
    bulletin that names the one it corrects."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        ISSUED = "issued", pgettext_lazy("bulletin", "Issued")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)  # 2026-11
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # 主送 and 抄送: the agencies it is sent to and copied to, as the document prints them.
    recipients = models.CharField(max_length=200, blank=True)
    copies_to = models.CharField(max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Set at issue.
    as_of = models.DateField(null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(max_length=40, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.BinaryField(blank=True, default=b"")
    sha256 = models.CharField(max_length=64, blank=True)
    # The province's signature over the number and the hash (core.signing).
    signature = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="one_bulletin_per_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.period}（{self.get_status_display()}）"


class ReportRound(models.Model):
    """A round of progress reports (调度) the province calls: the period it covers and the day
    every county's report is due."""

    title = models.CharField(max_length=100)
    since = models.DateField()
    until = models.DateField()
    due_on = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["since", "until"], name="one_round_per_period"),
            models.CheckConstraint(
                condition=models.Q(since__lte=models.F("until")), name="round_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A county's report for a round: the system's figures for the period as they stood when it
    was filed, and the county's own remarks; late when filed after the due day."""

    round = models.ForeignKey(ReportRound, on_delete=models.PROTECT, related_name="reports")
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    figures = models.JSONField(default=dict)
    progress = models.TextField(max_length=2000)
    problems = models.TextField(max_length=2000, blank=True)
    next_steps = models.TextField(max_length=2000, blank=True)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["county_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "county"], name="one_report_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.county_id}"


class Inspection(models.Model):
    """An inspection visit (督查) by the province or a city to a county: the team, what it found
    and the fixes it requires, each with a deadline and the county's answer."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    team = models.CharField(max_length=200)
    findings = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.county_id} {self.visited_on}"


class InspectionFix(models.Model):
    """A fix an inspection requires (整改要求), due by its deadline, answered by the county."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="fixes")
    position = models.PositiveSmallIntegerField()
    requirement = models.CharField(max_length=500)
    deadline = models.DateField()
    answer = models.CharField(max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="fix_position_unique")
        ]

    def __str__(self) -> str:
        return self.requirement[:40]

    def overdue_on(self, day: date) -> bool:
        return self.answered_at is None and self.deadline < day


class Publicity(models.Model):
    """A publicity activity (宣传, Jilin §4(3)): what an agency did to make the system known, and
    how many people or copies it reached."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting or field day")
        MATERIAL = "material", _("Leaflets and posters")
        MEDIA = "media", _("Radio, TV, newspaper or online")
        OTHER = "other", _("Other")

    organiser = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    title = models.CharField(max_length=100)
    reach = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name_plural = "publicity"

    def __str__(self) -> str:
        return self.title


class LeadingGroup(models.Model):
    """An agency's leading group and liaison officer (领导小组、联络员, Jilin §4(1))."""

    agency = models.OneToOneField(Agency, on_delete=models.PROTECT, related_name="leading_group")
    leader = models.CharField(max_length=100)
    members = models.CharField(max_length=500, blank=True)
    liaison_name = models.CharField(max_length=50)
    liaison_phone = models.CharField(max_length=20)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.agency} {self.liaison_name}"
