from __future__ import annotations

from django.conf import settings
from django.db import models

from earmark.farms.models import Premises


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

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.number
