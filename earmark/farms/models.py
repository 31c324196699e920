from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from earmark.core.species import SpeciesField
from earmark.core.validators import mask_id_card
from earmark.regions.models import Region


class Premises(models.Model):
    """A place that keeps or receives animals: farm, household, slaughterhouse, market or
    disposal plant. Identified publicly by its code and, for its owner, by its QR token."""

    class Kind(models.TextChoices):
        FARM = "farm", _("Scale farm")
        HOUSEHOLD = "household", _("Household")
        SLAUGHTERHOUSE = "slaughterhouse", _("Slaughterhouse")
        MARKET = "market", _("Market")
        DISPOSAL = "disposal", _("Disposal plant")

    class Status(models.TextChoices):
        # Some base information is missing; it cannot be verified yet.
        INCOMPLETE = "incomplete", _("Incomplete")
        # Complete, waiting for the county to check it.
        TO_VERIFY = "to_verify", _("To verify")
        # Checked by a county officer; a farm may declare.
        VERIFIED = "verified", _("Verified")

    code = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100)
    owner_name = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    id_card = models.CharField(max_length=18, blank=True)
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="premises")
    # The county of the township, kept on the row for jurisdiction filters and partitioning.
    county_code = models.CharField(max_length=6, db_index=True)
    address = models.CharField(max_length=200, blank=True)
    # Designed capacity in head (设计规模), if known.
    scale = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # The record's id in the farm base-information collection system, when it came from there.
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INCOMPLETE)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    qr_token = models.CharField(max_length=43, unique=True)
    pin_hash = models.CharField(max_length=128, blank=True)
    pin_failures = models.PositiveSmallIntegerField(default=0)
    pin_locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "premises"
        indexes = [
            models.Index(fields=["county_code", "status"]),
            models.Index(fields=["township", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["farm", "household", "slaughterhouse", "market", "disposal"]
                ),
                name="premises_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["incomplete", "to_verify", "verified"]),
                name="premises_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def id_card_masked(self) -> str:
        return mask_id_card(self.id_card) if self.id_card else ""

    @property
    def keeps_animals(self) -> bool:
        return self.kind in (self.Kind.FARM, self.Kind.HOUSEHOLD)

    @property
    def holds_animals(self) -> bool:
        """Where animals stay and move on from: farms, households, and markets (交易市场), which
        receive animals against a certificate and send them on under new ones."""
        return self.kind in (self.Kind.FARM, self.Kind.HOUSEHOLD, self.Kind.MARKET)


class Stock(models.Model):
    """Animals on hand at a premises, per species; changed only through the ledger."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="stock")
    species = SpeciesField()
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["premises_id", "species"]
        constraints = [
            models.UniqueConstraint(fields=["premises", "species"], name="stock_unique_species"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.premises_id}:{self.species}={self.quantity}"


class StockChange(models.Model):
    """One row of the stock ledger (存栏变动)."""

    # Notes the system writes: kept in English and shown in the reader's language (a note a
    # person typed is shown as typed).
    SYSTEM_NOTES = frozenset(
        {gettext_noop("Base-information sync"), gettext_noop("Certificate revoked")}
    )

    class Reason(models.TextChoices):
        INITIAL = "initial", _("Initial stock")
        BIRTH = "birth", _("Birth")
        PURCHASE_IN = "purchase_in", _("Purchased in")
        CERTIFICATE_OUT = "certificate_out", _("Shipped out under certificate")
        ARRIVAL_IN = "arrival_in", _("Arrival")
        DEATH = "death", _("Death")
        SLAUGHTER = "slaughter", _("Slaughter")
        CORRECTION = "correction", _("Correction")

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="stock_changes")
    species = SpeciesField()
    delta = models.IntegerField()
    balance = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The document behind the change, e.g. ("certificate", "221260000123").
    document_type = models.CharField(max_length=32, blank=True)
    document_id = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["premises", "species", "id"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(delta=0), name="stock_change_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.premises_id}:{self.species}{self.delta:+d}"

    @property
    def note_text(self) -> str:
        return gettext(self.note) if self.note in self.SYSTEM_NOTES else self.note


class BaseInfoSync(models.Model):
    """An upload from the farm base-information collection system, its diff, and when it was
    applied. Nothing changes until an officer confirms the diff."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    diff = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.county_id} {self.file_name}"


class FarmToken(models.Model):
    """A farm's own API token, obtained with its QR code and PIN: it does what the farm's phone
    page does, for that farm only. Only its hash is kept; a new PIN or QR code retires it."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The first part of the token, in clear, so that a token can be found and shown.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class PinAttempts(models.Model):
    """Wrong PINs for one farm from one source address (#34): a source that keeps guessing waits
    longer and longer, while the farmer, signing in from elsewhere, is not held up. A source
    that opened the page once is trusted through a lock of the whole farm."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="pin_attempts")
    source = models.CharField(max_length=45)
    failures = models.PositiveIntegerField(default=0)
    wait_until = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["premises", "source"], name="pin_attempts_unique")
        ]

    def __str__(self) -> str:
        return f"{self.premises_id} {self.source}: {self.failures}"


class Restriction(models.Model):
    """A movement restriction (封锁/限制移动) a county places after an outbreak or by decision:
    on one premises, a township, or every premises within a radius of one. While it stands,
    no declaration or certificate leaves from or goes to what it covers."""

    class Kind(models.TextChoices):
        PREMISES = "premises", _("One premises")
        TOWNSHIP = "township", _("A township")
        RADIUS = "radius", _("A radius around a premises")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The premises restricted, or the centre of the radius.
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="restrictions"
    )
    township = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    radius_km = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    county_code = models.CharField(max_length=6, db_index=True)
    reason = models.CharField(max_length=200)
    # The outbreak investigation that called for it, when one did (its number).
    investigation = models.CharField(max_length=24, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lift_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["county_code", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class Vehicle(models.Model):
    """A registered livestock transport vehicle (运输车辆备案), kept by the county where its owner
    registered it; declarations match it by plate. A suspended vehicle carries no animals."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Registered")
        SUSPENDED = "suspended", _("Suspended")

    plate = models.CharField(max_length=12, unique=True)
    owner_name = models.CharField(max_length=50)
    owner_phone = models.CharField(max_length=11)
    capacity = models.PositiveIntegerField()
    documents = models.CharField(max_length=100)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    suspended_reason = models.CharField(max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plate"]

    def __str__(self) -> str:
        return self.plate


class Dealer(models.Model):
    """A registered livestock dealer (贩运经纪人), kept by the county that registered him, with
    the counties he works in; a declaration may name the dealer who bought the animals."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Registered")
        SUSPENDED = "suspended", _("Suspended")

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=50)
    id_card = models.CharField(max_length=18)
    phone = models.CharField(max_length=11)
    # The counties he buys and sells in (the registering county among them).
    counties = models.ManyToManyField(Region, related_name="+")
    trained_on = models.DateField(null=True, blank=True)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    suspended_reason = models.CharField(max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["id_card"], name="dealer_id_card_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def id_card_masked(self) -> str:
        return mask_id_card(self.id_card)


class Checkpoint(models.Model):
    """A designated checkpoint (指定通道) of the province, where animals entering or leaving it
    pass and are checked; kept by the province, its officers posted there."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)
    road = models.CharField(max_length=100)
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="checkpoint_posts", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
