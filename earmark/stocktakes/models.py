"""The stocktake (盘点): what is physically on a premises against what the records say, after
Australia's NLIS property reconciliation. It reads animals, tags and the ledger, so it sits
above immunization; the adjustment it proposes moves the ledger only when the county approves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.core.species import SpeciesField
from earmark.farms.models import Premises

USER = settings.AUTH_USER_MODEL


class Stocktake(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("Matches the ledger")
        TO_APPROVE = "to_approve", _("Adjustment awaits the county")
        APPROVED = "approved", _("Adjustment approved")

    number = models.CharField(max_length=24, unique=True)
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="stocktakes")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9, db_index=True)
    species = SpeciesField()
    taken_on = models.DateField()
    counted = models.PositiveIntegerField()
    # The tags read, as ranges [[first, last], ...].
    read = models.JSONField(default=list)
    # What the records said when it was recorded: the ledger, and the live tagged animals.
    balance = models.PositiveIntegerField()
    tagged = models.PositiveIntegerField()
    # Each difference: {"kind", "count", "tags", "cause", "action"}.
    differences = models.JSONField(default=list)
    # Whether it found any difference (for the reconciliation's counts).
    differs = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["premises", "taken_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def adjustment(self) -> int:
        """What approving would add to (or take from) the ledger as it was counted."""
        return self.counted - self.balance
