from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.farms.models import Premises
from earmark.movements.models import Alert


class Investigation(models.Model):
    """An outbreak investigation opened from a tag or a premises (Order 13 art. 21): the trace,
    the premises and animals at risk, and an alert to every county it reaches."""

    number = models.CharField(max_length=24, unique=True)
    subject_tag = models.BigIntegerField(null=True, blank=True)
    subject_premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField(max_length=6, db_index=True)
    since = models.DateField()
    until = models.DateField()
    hops = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=500)
    summary = models.JSONField(default=dict)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # The alert each county reached received; kept here, so that the alerts below know
    # nothing of the investigations above them.
    alerts = models.ManyToManyField(Alert, related_name="investigations", blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.number


class Case(models.Model):
    """A violation case (违法案件, Order 13 art. 24–29): opened by a county from an anomaly, a
    refused declaration, a checkpoint finding or by hand, against a premises, a dealer, a maker,
    a staff member or an agency; it records the article, the facts with the records that prove
    them, the decision and the penalty, and is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        ANOMALY = "anomaly", _("Anomaly")
        REFUSAL = "refusal", _("Refused declaration")
        CHECKPOINT = "checkpoint", _("Checkpoint finding")
        MANUAL = "manual", _("Entered by hand")

    class Party(models.TextChoices):
        PREMISES = "premises", _("Farm or premises")
        DEALER = "dealer", _("Livestock dealer")
        MANUFACTURER = "manufacturer", _("Ear-tag manufacturer")
        STAFF = "staff", _("Staff member")
        AGENCY = "agency", _("Agency")

    class Article(models.IntegerChoices):
        # MoA Order 13 (2002), art. 24–29.
        MAKER = 24, _("Art. 24: a designated maker breaks the production or supply rules")
        ILLEGAL_TAGS = 25, _("Art. 25: tags from illegal channels obtained or used")
        CERTIFICATE_WITHOUT_TAGS = 26, _("Art. 26: a certificate for animals without tags")
        REFUSED_SYSTEM = 27, _("Art. 27: compulsory immunization or identification refused")
        STATION_FAILED = 28, _("Art. 28: a township station does not apply the system")
        NOT_REPORTED = 29, _("Art. 29: an outbreak not reported or not investigated")

    number = models.CharField(max_length=24, unique=True)
    county_code = models.CharField(max_length=6, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(max_length=12, choices=Source.choices)
    source_ref = models.CharField(max_length=100, blank=True)
    article = models.PositiveSmallIntegerField(choices=Article.choices)
    party_kind = models.CharField(max_length=12, choices=Party.choices)
    # The party's key where the system knows it (premises code, maker id, username, region
    # code), and its name as the case shows it.
    party_ref = models.CharField(max_length=60, blank=True)
    party_name = models.CharField(max_length=100)
    facts = models.TextField(max_length=2000)
    # The records that prove the facts: [{"kind": ..., "ref": ..., "label": ...}].
    evidence = models.JSONField(default=list)
    decision = models.CharField(max_length=1000, blank=True)
    penalty = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.CharField(max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.number


class TraceRequest(models.Model):
    """An investigation's question across the border (#30): it reached animals another province
    certified, so that province is asked, through the platform and signed, which farms its
    certificates' animals passed; the answer comes back signed by it. A province also keeps the
    questions it was asked (``received``) with the answer it gave."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Asked of another province")
        RECEIVED = "received", _("Asked by another province")

    key = models.UUIDField()
    direction = models.CharField(max_length=8, choices=Direction.choices)
    # The other province: the one asked, or the one asking.
    province = models.CharField(max_length=6)
    investigation = models.ForeignKey(
        Investigation, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    # The asking province's investigation, by its number (for a question received).
    reference = models.CharField(max_length=24, blank=True)
    certificates = models.JSONField(default=list)
    since = models.DateField()
    until = models.DateField()
    hops = models.PositiveSmallIntegerField()
    # The farms the certificates' animals passed, as the asked province signed them.
    answer = models.JSONField(default=list)
    answered_at = models.DateTimeField(null=True, blank=True)
    signed_answer = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "key"], name="trace_request_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.province} {self.key}"
