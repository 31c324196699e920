"""Slaughter quarantine batch by batch (宰前检查, 同步检疫), what a passed batch produced, and the
animal-product certificates (动物检疫合格证明 产品A / 产品B) that carry it onward, split further
downstream (分销换证) down a chain that always leads back to the batch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.farms.models import Premises
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


class SlaughterBatch(models.Model):
    """Animals received on one or more certificates, slaughtered together at a slaughterhouse
    under the official vet's ante-mortem check and post-mortem inspection."""

    class Status(models.TextChoices):
        # Ante-mortem checked, the animals taken from the stock: waiting for the post-mortem.
        OPEN = "open", _("Ante-mortem done")
        PASSED = "passed", _("Passed")
        # A notifiable finding: nothing of it is certified; the origin counties are alerted.
        BLOCKED = "blocked", _("Blocked")

    class Ante(models.TextChoices):
        PASSED = "passed", _("Fit for slaughter")
        SUSPECT = "suspect", _("Suspect: slaughtered apart")

    number = models.CharField(max_length=24, unique=True)
    slaughterhouse = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9)
    species = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # [{"certificate": number, "count": n}]: the certificates the animals came in on.
    sources = models.JSONField(default=list)
    count = models.PositiveIntegerField()
    # The recovered tags of the batch's animals, as [[first, last], ...], where read.
    tags = models.JSONField(default=list)
    ante_result = models.CharField(max_length=10, choices=Ante.choices)
    ante_signs = models.CharField(max_length=500, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    # The post-mortem (同步检疫): findings by organ, what was condemned and where it went.
    findings = models.JSONField(default=dict)
    emergency = models.PositiveIntegerField(default=0)
    condemned = models.PositiveIntegerField(default=0)
    condemned_tags = models.JSONField(default=list)
    condemned_kg = models.DecimalField(max_digits=10, decimal_places=1, default=0)
    disposal_plant = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notifiable = models.CharField(max_length=100, blank=True)
    # The slaughterhouse's own 肉品品质检验合格证 (its meat-quality inspectors').
    quality_certificate = models.CharField(max_length=40, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.number


class BatchSource(models.Model):
    """A certificate whose animals are in a batch: how a tag's trace finds its batch."""

    batch = models.ForeignKey(SlaughterBatch, on_delete=models.CASCADE, related_name="source_rows")
    certificate = models.CharField(max_length=20, db_index=True)
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.certificate}"


class Product(models.Model):
    """What a passed batch produced, by kind: 白条 (carcasses), 分割肉, 副产品."""

    class Kind(models.TextChoices):
        CARCASS = "carcass", _("Carcasses (白条)")
        CUTS = "cuts", _("Cuts (分割肉)")
        OFFAL = "offal", _("By-products (副产品)")

    batch = models.ForeignKey(SlaughterBatch, on_delete=models.PROTECT, related_name="products")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity = models.PositiveIntegerField()
    weight_kg = models.DecimalField(max_digits=10, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind"], name="one_product_kind_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.kind}"


class ProductCertificate(models.Model):
    """动物检疫合格证明（产品A / 产品B） for part of a batch's products, to a named buyer and
    destination; a certificate passed on downstream names the one it was split from."""

    class Kind(models.TextChoices):
        A = "A", _("Product A (another province)")
        B = "B", _("Product B (within the province)")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    batch = models.ForeignKey(SlaughterBatch, on_delete=models.PROTECT, related_name="certificates")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="splits"
    )
    # A revoked certificate of the same batch and product this one replaces.
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    species = models.CharField(max_length=10)
    product = models.CharField(max_length=10, choices=Product.Kind.choices)
    quantity = models.PositiveIntegerField()
    weight_kg = models.DecimalField(max_digits=10, decimal_places=1)
    # What is left on it to pass on downstream (分销换证).
    remaining_quantity = models.PositiveIntegerField()
    remaining_kg = models.DecimalField(max_digits=10, decimal_places=1)
    owner_name = models.CharField(max_length=100)
    owner_phone = models.CharField(max_length=20, blank=True)
    producer = models.CharField(max_length=300)
    county_code = models.CharField(max_length=6, db_index=True)
    destination_province = models.CharField(max_length=6)
    destination_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination = models.CharField(max_length=300)
    vehicle_plate = models.CharField(max_length=20, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    payload = models.TextField()
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
