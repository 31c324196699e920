from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.core.codes import RegionLevel


class Region(models.Model):
    """An administrative division (GB/T 2260): province, city, county or township."""

    class Level(models.TextChoices):
        PROVINCE = RegionLevel.PROVINCE, _("province")
        CITY = RegionLevel.CITY, _("city")
        COUNTY = RegionLevel.COUNTY, _("county")
        TOWNSHIP = RegionLevel.TOWNSHIP, _("township")

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Counties only: when the province switched the new functions on (§8). The decision and who
    # took it are the rollout's; the fact belongs to the region, read by every app that checks it.
    enabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["province", "city", "county", "township"]),
                name="region_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="region_parent_by_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RegionAlias(models.Model):
    """A former county code still printed on ear tags, resolving to today's county."""

    code = models.CharField(max_length=6, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="aliases")
    name = models.CharField(max_length=100, blank=True)
    since = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} → {self.region_id}"
