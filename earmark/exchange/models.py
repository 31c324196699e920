"""The outbox: every domain event, written in the transaction of the change that made it, and
delivered to the national traceability platform by the worker."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Dead letter")

    # The idempotency key the platform sees: the same event is never stored twice there.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40)
    # Events of one aggregate (a premises, a certificate, a county's tags) arrive in order.
    aggregate = models.CharField(max_length=60)
    payload = models.JSONField()
    occurred_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(auto_now_add=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["aggregate", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.aggregate}"
