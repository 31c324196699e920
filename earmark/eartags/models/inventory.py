"""Tags registered by box, pack and range, the documents that move them and who holds them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.accounts.models import Agency
from earmark.core.species import SpeciesField
from earmark.eartags.codes import format_range
from earmark.eartags.models.makers import Delivery
from earmark.eartags.spans import span_field
from earmark.farms.models import Premises
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


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
