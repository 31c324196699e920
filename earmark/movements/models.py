from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earmark.farms.models import Checkpoint, Premises
from earmark.quarantine.models import Certificate, ForeignCertificate
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


class CheckpointCheck(models.Model):
    """A certificate checked on the road (指定通道), online or uploaded after an offline check."""

    class Result(models.TextChoices):
        VALID = "valid", pgettext_lazy("state", "Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        USED = "used", _("Already used")
        FORGED = "forged", _("Not genuine")
        UNKNOWN = "unknown", _("Unknown certificate")
        # The origin fell under a movement restriction after the certificate was issued.
        RESTRICTED = "restricted", pgettext_lazy("state", "Restricted")
        # What the officer saw differs from the certificate (plate, head, tags, disinfection,
        # checkpoint); ``findings`` lists each difference.
        MISMATCH = "mismatch", _("Does not match")

    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    number = models.CharField(max_length=20)
    # The issuing province of another province's certificate (empty for this province's).
    issuing_province = models.CharField(max_length=6, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices)
    # Every finding besides the result, by precedence: [{"code", "message"}, ...].
    findings = models.JSONField(default=list, blank=True)
    signature_valid = models.BooleanField(null=True)
    offline = models.BooleanField(default=False)
    place = models.CharField(max_length=100)
    # The designated checkpoint where its officer is posted, when he is.
    checkpoint = models.ForeignKey(
        Checkpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    county_code = models.CharField(max_length=6, db_index=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)
    # What the officer saw on the vehicle (#17): its plate, the animals, the tags read, and
    # whether the vehicle was disinfected there.
    vehicle_plate = models.CharField(max_length=12, blank=True)
    animals_seen = models.PositiveIntegerField(null=True, blank=True)
    tags_read = models.CharField(max_length=2000, blank=True)
    disinfected = models.BooleanField(null=True)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.result}"


class Receipt(models.Model):
    """A certificate received at its destination: an arrival at a farm, or slaughter. A
    certificate is received once (the database refuses a second receipt)."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("Arrival report")
        SLAUGHTER = "slaughter", _("Slaughter inspection")

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="receipt"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="receipts")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9)
    arrived_at = models.DateTimeField()
    received = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    extra = models.JSONField(default=list)
    late = models.BooleanField(default=False)
    # Slaughter: the inspection result and what was found (Order 67 art. 15 keeps the tags).
    passed = models.BooleanField(null=True)
    findings = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.certificate_id}"


def alert_deadline() -> datetime:
    """When an alert raised now must be answered."""
    return timezone.now() + timedelta(days=settings.EARMARK_ALERT_RESPONSE_DAYS)


class Alert(models.Model):
    """A problem found downstream, sent to the origin county's agency with the trace (art. 21)."""

    class Kind(models.TextChoices):
        DISEASE = "disease", _("Disease found")
        MISMATCH = "mismatch", _("Tags do not match the certificate")
        UNTAGGED = "untagged", _("Untagged animals")
        FOREIGN_TAG = "foreign_tag", _("Foreign tags")
        LATE_ARRIVAL = "late_arrival", _("Late arrival report")
        INVESTIGATION = "investigation", _("Outbreak investigation")
        REDIRECT = "redirect", _("Change of destination")
        NO_CHECKPOINT = "no_checkpoint", _("No check at a designated checkpoint")
        CHECK_MISMATCH = "check_mismatch", _("A checkpoint found differences")
        RESTRICTED = "restricted", _("Certificate under a restriction on the road")
        # To the province administrator: what the national platform handed over could not be
        # believed (a key nobody pinned, a copy contradicting the one kept).
        PLATFORM = "platform", _("Platform data set aside")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The county that must act; the province itself for a platform alert.
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    message = models.CharField(max_length=500)
    trace = models.JSONField(default=dict)
    # Who raised it here; empty for an alert another province raised (``from_province``), as
    # the national platform handed it over under its event key (``external_key``, once).
    raised_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_province = models.CharField(max_length=6, blank=True)
    external_key = models.CharField(max_length=64, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    # Answer (acknowledge, saying what was done) by then, or the alert is overdue (art. 29).
    respond_by = models.DateTimeField(default=alert_deadline)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~models.Q(external_key=""),
                name="alert_external_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.county_id}"

    @property
    def overdue(self) -> bool:
        """Unanswered past its deadline."""
        return self.acknowledged_at is None and self.respond_by < timezone.now()


class Death(models.Model):
    """Deaths and harmless disposal at a premises: tags cancelled, stock lowered."""

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="deaths")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9)
    species = models.CharField(max_length=10)
    count = models.PositiveIntegerField()
    tags = models.JSONField(default=list)
    cause = models.CharField(max_length=200)
    disposal_plant = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="disposals"
    )
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    disposal_confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposal_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.premises_id} {self.count}"


class DestructionBatch(models.Model):
    """Recovered and voided tags physically destroyed by the county (art. 22)."""

    number = models.CharField(max_length=24, unique=True)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    destroyed_on = models.DateField()
    method = models.CharField(max_length=100)
    # Where the tags were destroyed (empty on batches recorded before it was asked).
    place = models.CharField(max_length=100, blank=True)
    # At least two witnesses (监销人), as the record names them.
    witnesses = models.CharField(max_length=200)
    recovered = models.JSONField(default=list)
    voided = models.JSONField(default=list)
    count = models.PositiveIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-destroyed_on", "-id"]

    def __str__(self) -> str:
        return self.number


class ForeignReceipt(models.Model):
    """Another province's certificate received here (#17): the tags that arrived are recorded
    on animals of the destination premises, so that they trace here; breeding and dairy
    animals stay in isolation (隔离观察) until a day before joining the herd. At a
    slaughterhouse the tags are recovered (#30)."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("Arrival")
        # At a slaughterhouse: the tags recovered, the animals waiting for slaughter (#30).
        SLAUGHTER = "slaughter", _("Slaughter inspection")

    certificate = models.OneToOneField(
        ForeignCertificate, on_delete=models.PROTECT, related_name="receipt"
    )
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ARRIVAL)
    arrived_at = models.DateTimeField()
    # Number ranges [[first, last], ...]: received, on the certificate but not seen, and seen
    # but not on the certificate.
    received = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    extra = models.JSONField(default=list)
    late = models.BooleanField(default=False)
    isolation_until = models.DateField(null=True, blank=True)
    # The slaughter inspection's result, as for this province's certificates.
    passed = models.BooleanField(null=True)
    findings = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.premises_id}"


class RestrictionOverride(models.Model):
    """The destination county lets a certificate be received although its origin fell under a
    movement restriction after issue, with its reason; without it the receipt is refused."""

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="restriction_override"
    )
    restriction = models.ForeignKey(
        "farms.Restriction", on_delete=models.PROTECT, related_name="overrides"
    )
    reason = models.CharField(max_length=200)
    county_code = models.CharField(max_length=6)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.reason}"
