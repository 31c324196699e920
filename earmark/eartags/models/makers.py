"""Designated makers, their yearly plans, the counties' orders and the deliveries (art. 10–12)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.core.species import SpeciesField, species_labels
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


class Manufacturer(models.Model):
    """A designated ear-tag manufacturer (定点生产企业, Order 13 art. 10), kept by the province:
    its licence, the species it may make and the period of its designation. A revoked
    designation (art. 24) stops its orders and deliveries."""

    class Status(models.TextChoices):
        DESIGNATED = "designated", _("Designated")
        REVOKED = "revoked", _("Designation revoked")

    name = models.CharField(max_length=100)
    licence = models.CharField(max_length=50, unique=True)
    # The species codes (core.species) whose tags it may make.
    species = models.JSONField(default=list)
    valid_from = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DESIGNATED)
    revoked_reason = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="manufacturer_validity_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def species_labels(self) -> str:
        return species_labels(self.species)

    def designated_on(self, day: date) -> bool:
        return self.status == self.Status.DESIGNATED and self.valid_from <= day <= self.valid_until


class ProductionPlan(models.Model):
    """A maker's production plan for one year and species (年度生产计划), set by the province;
    the counties' orders draw on it."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField()
    species = SpeciesField()
    quantity = models.BigIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "manufacturer_id", "species"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "year", "species"], name="production_plan_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="production_plan_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.year} {self.species}"


class TagOrder(models.Model):
    """A county's order (计划订购) against a maker's plan: a block of numbers of the county's own,
    which the maker prints and delivers. Deliveries register numbers of this block only."""

    number = models.CharField(max_length=24, unique=True)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ProductionPlan, on_delete=models.PROTECT, related_name="orders")
    first = models.BigIntegerField()
    last = models.BigIntegerField()
    ordered_on = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ordered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first__lte=models.F("last")), name="tag_order_range_order"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def quantity(self) -> int:
        return self.last - self.first + 1


class Delivery(models.Model):
    """A delivery of tags from the designated manufacturer to a county (Order 13 art. 10–11),
    against one of the county's orders (older deliveries name the maker only)."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(
        TagOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    manufacturer = models.CharField(max_length=100)
    note_number = models.CharField(max_length=50)
    delivered_on = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["county", "note_number"], name="delivery_note_unique")
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.note_number}"
