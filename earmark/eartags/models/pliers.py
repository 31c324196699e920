"""Ear-tag pliers, kept and handed over like tags (art. 11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.accounts.models import Agency
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


class Pliers(models.Model):
    """An ear-tag pliers (耳标钳, Order 13 art. 11): registered by the county by its serial,
    issued to a township station and on to a vaccinator, returned up the same way."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(max_length=40)
    # Who holds it now: an agency (county or station) or a vaccinator.
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vaccinator = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="pliers"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["county_id", "serial"]
        verbose_name_plural = "pliers"
        constraints = [
            models.UniqueConstraint(fields=["county", "serial"], name="pliers_serial_unique")
        ]

    def __str__(self) -> str:
        return self.serial


class PliersMove(models.Model):
    """One step of a pliers' life: registered, issued or returned, between whom."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ISSUED = "issued", _("Issued")
        RETURNED = "returned", _("Returned")

    pliers = models.ForeignKey(Pliers, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_label = models.CharField(max_length=120, blank=True)
    to_label = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.pliers} {self.kind}"
