"""Single tags once used, and every step of their lives as an append-only event."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.core.species import SpeciesField
from earmark.eartags import lifecycle
from earmark.eartags.codes import format_range, format_tag
from earmark.eartags.models.inventory import RegisteredRange
from earmark.eartags.spans import span_field
from earmark.farms.models import Premises

USER = settings.AUTH_USER_MODEL


class Tag(models.Model):
    """A tag that has been used: one row per applied tag (unused tags are Holding ranges)."""

    class State(models.TextChoices):
        # The states of eartags.lifecycle, which says how a tag moves between them.
        APPLIED = lifecycle.APPLIED, _("Applied")
        IN_TRANSIT = lifecycle.IN_TRANSIT, _("In transit")
        LOST = lifecycle.LOST, _("Lost")
        CANCELLED = lifecycle.CANCELLED, _("Cancelled")
        RECOVERED = lifecycle.RECOVERED, _("Recovered")
        DESTROYED = lifecycle.DESTROYED, _("Destroyed")

    number = models.BigIntegerField(primary_key=True)
    species = SpeciesField()
    state = models.CharField(max_length=12, choices=State.choices)
    registered_range = models.ForeignKey(
        RegisteredRange, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9, blank=True)
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="tags"
    )
    # The province that registered it, for a tag another province certified and this one
    # received (#30): it has no registered range here, and is legitimate all the same.
    origin_province = models.CharField(max_length=6, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return format_tag(self.number)


class AppendOnlyQuerySet(models.QuerySet["TagEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("tag events are append-only")

    def delete(self) -> NoReturn:
        raise TypeError("tag events are append-only")


class TagEvent(models.Model):
    """One step in the life of a range of tags or of one tag; never changed or removed."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ISSUED = "issued", _("Issued")
        RETURNED = "returned", _("Returned")
        VOIDED = "voided", _("Voided")
        APPLIED = "applied", _("Applied")
        REPLACED = "replaced", _("Replaced")
        LOST = "lost", _("Lost")
        DECLARED = "declared", _("Declared")
        CERTIFIED = "certified", _("Certified")
        ARRIVED = "arrived", _("Arrived")
        RECOVERED = "recovered", _("Recovered")
        CANCELLED = "cancelled", _("Cancelled")
        DESTROYED = "destroyed", _("Destroyed")

    first = models.BigIntegerField()
    last = models.BigIntegerField()
    # The width class that bounds a search by number (eartags.spans).
    span = span_field()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    species = SpeciesField()
    county_code = models.CharField(max_length=6)
    township_code = models.CharField(max_length=9, blank=True)
    # Who holds or carries the tags after this step, as shown to people.
    holder = models.CharField(max_length=120, blank=True)
    document_type = models.CharField(max_length=32, blank=True)
    document_id = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["span", "first"])]

    def __str__(self) -> str:
        return f"{self.kind} {format_range(self.first, self.last)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("tag events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("tag events are append-only")
