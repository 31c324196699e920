from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.regions.models import Region


class Role(models.TextChoices):
    """The roles of DESIGN §4; a user holds one or more."""

    # Rollout switches, agencies, users, all statistics, bulletins.
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    # Supervision of the city's counties, reports.
    CITY_OFFICER = "city_officer", _("City officer")
    # Verifies farms, registers tag inventory, first issue, destruction, enablement requests.
    COUNTY_OFFICER = "county_officer", _("County officer")
    # Second issue of tags, accepts or rejects declarations.
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    # Inspection, certificates, revocation, slaughter inspection, tag recovery.
    OFFICIAL_VET = "official_vet", _("Official veterinarian")
    # Immunizations, applying and replacing tags from own stock.
    VACCINATOR = "vaccinator", _("Vaccinator")
    # Verifies certificates on the road.
    CHECKPOINT_OFFICER = "checkpoint_officer", _("Checkpoint officer")
    # Arrival reports at slaughterhouses and farms.
    DESTINATION_STAFF = "destination_staff", _("Destination staff")
    # A scale farm's own veterinarian, approved by the county to immunize and tag that farm's
    # animals (Order 13 art. 13); reaches the immunization form and nothing else.
    FARM_VET = "farm_vet", _("Farm veterinarian")


class Agency(models.Model):
    """A supervision agency (province, city, county) or township station, bound to a region."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province agency")
        CITY = "city", _("City agency")
        COUNTY = "county", _("County agency")
        TOWNSHIP = "township", _("Township station")

    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=Level.choices)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="agency")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region_id"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person working in an agency. Farms use their QR code and PIN, not an account."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    full_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def region_code(self) -> str | None:
        """The code of the region this user's jurisdiction covers."""
        return self.agency.region_id if self.agency_id and self.agency else None


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class Vaccinator(models.Model):
    """A vaccinator's number: two digits, unique within the county (Order 13 of 2002, art. 7)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="vaccinator")
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=2)

    class Meta:
        ordering = ["county_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["county", "number"], name="vaccinator_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte="01", number__lte="99"),
                name="vaccinator_number_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county_id}-{self.number}"


class ApiToken(models.Model):
    """A bearer token for one device or machine client; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The first part of the token, stored in clear so that a token can be found and shown.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
