from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    """The last number given out under a key (premises codes per county, document numbers per
    county and year): numbers are allocated under a row lock and never given out twice."""

    key = models.CharField(max_length=64, primary_key=True)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}:{self.last}"


class RequestKey(models.Model):
    """A write request already received under a key (the API's ``Idempotency-Key`` header, or a
    web form's one-time submission key) with what it answered, so that the same request sent
    again records nothing new and gets the same answer."""

    # Whose key: ``user:<id>`` or, on a farm's own pages, ``session:<key>``.
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=100)
    # What was asked (method, path, body), to refuse the same key for another request.
    fingerprint = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="request_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Species(models.Model):
    """A species the system follows (Order 13 art. 30: the province adds species to the
    programme). Pigs, cattle and sheep/goats are shipped; every page, import, check and count
    reads this table, so a species added here is followed everywhere. See ``core.species``."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=20, unique=True)  # Chinese, as on documents: 猪
    name_en = models.CharField(max_length=40)
    unit = models.CharField(max_length=4)  # the measure word on certificates: 头, 只, 匹
    # Other words sheets use for it (生猪, 母猪), comma-separated.
    aliases = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "species"

    def __str__(self) -> str:
        return self.name


class SpeciesDigit(models.Model):
    """A first digit of the 15-digit tag code and the species it marks; a digit marks one
    species only (the key enforces it), a species may have several (pig: 1, and 7 for sows)."""

    digit = models.PositiveSmallIntegerField(primary_key=True)
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="digits")

    def __str__(self) -> str:
        return f"{self.digit}:{self.species_id}"
