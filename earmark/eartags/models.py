from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.accounts.models import Agency
from earmark.core.species import SpeciesField, species_labels
from earmark.eartags import lifecycle
from earmark.eartags.codes import format_range, format_tag
from earmark.eartags.spans import span_field
from earmark.farms.models import Premises
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


class Registration(models.Model):
    """One registration of unused tags by a county: a form row, or a whole template."""

    class Source(models.TextChoices):
        FORM = "form", _("Form")
        IMPORT = "import", _("Workbook import")

    number = models.CharField(max_length=24, unique=True)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=200, blank=True)
    count = models.BigIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class RegisteredRange(models.Model):
    """A registered number range, as written on the county's inventory sheet. Never changes;
    no two ranges anywhere share a number (on PostgreSQL also an exclusion constraint)."""

    # No two rows share a number: eartags.spans searches such a table from one row.
    DISJOINT = True

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="ranges")
    species = SpeciesField()
    first = models.BigIntegerField()
    last = models.BigIntegerField()
    box = models.CharField(max_length=30, blank=True)
    pack = models.CharField(max_length=30, blank=True)
    # Today's code of the registering county, and the county part printed on the tags.
    county_code = models.CharField(max_length=6, db_index=True)
    printed_county = models.CharField(max_length=6)

    class Meta:
        ordering = ["first"]
        indexes = [models.Index(fields=["first", "last"]), models.Index(fields=["last"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first__lte=models.F("last")), name="registered_range_order"
            ),
            models.UniqueConstraint(fields=["first"], name="registered_range_first_unique"),
        ]

    def __str__(self) -> str:
        return format_range(self.first, self.last)

    @property
    def count(self) -> int:
        return self.last - self.first + 1


class Issue(models.Model):
    """A numbered transfer document: first issue, second issue, return, or void."""

    class Kind(models.TextChoices):
        # County agency → township station (一次发放).
        FIRST = "first", _("First issue")
        # Township station → farm or vaccinator (二次发放).
        SECOND = "second", _("Second issue")
        # Unused tags back up the chain.
        RETURN = "return", _("Return")
        # Damaged unused tags, handed to the county for destruction.
        VOID = "void", _("Void")

    number = models.CharField(max_length=24, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    species = SpeciesField()
    count = models.BigIntegerField()
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_vaccinator = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_vaccinator = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9, blank=True, db_index=True)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class NumberRange(models.Model):
    """A range of tag numbers listed on a document (an issue, a declaration, a certificate).
    Documents' ranges overlap one another: they are searched by width class (``span``)."""

    first = models.BigIntegerField()
    last = models.BigIntegerField()
    span = span_field()

    class Meta:
        abstract = True
        ordering = ["first"]

    def __str__(self) -> str:
        return format_range(self.first, self.last)

    @property
    def count(self) -> int:
        return self.last - self.first + 1


class IssueLine(NumberRange):
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="lines")

    class Meta(NumberRange.Meta):
        indexes = [models.Index(fields=["span", "first"])]


class Holding(models.Model):
    """Unused tags held by one holder, as a range: an agency (county or township station), a
    farm, or a vaccinator. Issuing, returning and voiding split and move these rows. No two
    rows share a number (on PostgreSQL also an exclusion constraint)."""

    DISJOINT = True

    class State(models.TextChoices):
        # Unused and usable by its holder.
        AVAILABLE = "available", _("Available")
        # Damaged before use, held by the county until destroyed.
        VOIDED = "voided", _("Voided")
        # Physically destroyed in a recorded batch.
        DESTROYED = "destroyed", _("Destroyed")

    first = models.BigIntegerField()
    last = models.BigIntegerField()
    species = SpeciesField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.AVAILABLE)
    registered_range = models.ForeignKey(
        RegisteredRange, on_delete=models.PROTECT, related_name="holdings"
    )
    box = models.CharField(max_length=30, blank=True)
    pack = models.CharField(max_length=30, blank=True)
    county_code = models.CharField(max_length=6)
    # The township whose inventory these tags are, from the first issue on.
    township_code = models.CharField(max_length=9, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="holdings"
    )
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="tag_holdings"
    )
    vaccinator = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="tag_holdings"
    )
    # The document that brought the range to its holder (none: registered here).
    acquired_by = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["first"]
        indexes = [
            models.Index(fields=["first", "last"]),
            models.Index(fields=["agency", "species", "state", "first"]),
            models.Index(fields=["premises", "species", "state", "first"]),
            models.Index(fields=["vaccinator", "species", "state", "first"]),
            models.Index(fields=["county_code", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first__lte=models.F("last")), name="holding_order"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(agency__isnull=False, premises__isnull=True, vaccinator__isnull=True)
                    | models.Q(agency__isnull=True, premises__isnull=False, vaccinator__isnull=True)
                    | models.Q(agency__isnull=True, premises__isnull=True, vaccinator__isnull=False)
                ),
                name="holding_one_holder",
            ),
            models.UniqueConstraint(fields=["first"], name="holding_first_unique"),
        ]

    def __str__(self) -> str:
        return format_range(self.first, self.last)

    @property
    def count(self) -> int:
        return self.last - self.first + 1


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
