from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise TypeError("audit events are append-only")


class AuditEvent(models.Model):
    """One action taken in the system: who did what to which object.

    Rows are never changed or removed (the database refuses it too). Each row stores the hash
    of the previous row and the hash of its own content, so that an edit made behind the
    application's back breaks the chain and ``earmark audit_verify`` finds it.
    """

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The actor's username at the time, or "system" for commands and the setup.
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    # The region the object belongs to, so that audit views can apply jurisdiction.
    region_code = models.CharField(max_length=9, blank=True, db_index=True)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Hashed with the audit key (HMAC); rows from before the key are plain SHA-256 and may only
    # come before the first keyed row.
    keyed = models.BooleanField(default=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("audit events are append-only")


class OutboxEvent(models.Model):
    """A domain event for the national platform, written in the transaction of the change that
    made it and delivered by the exchange's worker."""

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
        # The table kept the name it had when the exchange app owned it.
        db_table = "exchange_outboxevent"
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="exchange_ou_status_c0478a_idx"
            ),
            models.Index(fields=["aggregate", "id"], name="exchange_ou_aggrega_d4610e_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.aggregate}"
