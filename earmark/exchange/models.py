"""The exchange delivers the outbox (``earmark.audit``) and keeps one table of its own: what the
national platform handed over that could not be read or believed, set aside for the province
administrator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.core.inbound import Reason


class HeldEvent(models.Model):
    """An entry the platform handed over (a key, a certificate, an alert) that was not taken,
    with its reason: kept once however often the platform hands it over again, until the
    administrator retries it (it is taken if it now holds) or drops it."""

    class Kind(models.TextChoices):
        KEY = "key", _("Signing key")
        CERTIFICATE = "certificate", _("Certificate")
        ALERT = "alert", _("Alert")
        RECEIPT = "receipt", _("Receipt in another province")
        TRACE_REQUEST = "trace_request", _("Trace request")
        TRACE_ANSWER = "trace_answer", _("Trace answer")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        # Taken since: on a retry, or by a later pull (its key pinned meanwhile).
        TAKEN = "taken", _("Taken since")
        DROPPED = "dropped", _("Dropped")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What it claims to be, as far as it could be read (bounded, never believed).
    province = models.CharField(max_length=6, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    # The entry as it came, as JSON text (its first characters, when too large to keep).
    body = models.TextField()
    digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    times_seen = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        indexes = [models.Index(fields=["status", "-last_seen"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference or self.pk}: {self.reason}"
