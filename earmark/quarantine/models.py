from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earmark.core.species import SpeciesField, species_label
from earmark.eartags.models import NumberRange
from earmark.farms.models import Checkpoint, Dealer, Premises, Vehicle
from earmark.regions.models import Region

USER = settings.AUTH_USER_MODEL


class Declaration(models.Model):
    """A farm's quarantine declaration (检疫申报) for animals it will ship."""

    class Purpose(models.TextChoices):
        SLAUGHTER = "slaughter", _("Slaughter")
        RAISING = "raising", _("Raising")
        BREEDING = "breeding", _("Breeding")
        DAIRY = "dairy", _("Dairy")
        SHOW = "show", _("Show or competition")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        # Passed every check at submission; waiting for the township station.
        SUBMITTED = "submitted", _("Submitted")
        # Accepted by the station; waiting for the official vet's inspection.
        ACCEPTED = "accepted", _("Accepted")
        # Refused by the station, with a reason the farm sees.
        REJECTED = "rejected", _("Rejected")
        # Inspected on site and found fit; a certificate may be issued.
        INSPECTED = "inspected", _("Inspected")
        # Inspected on site and found unfit: no certificate.
        FAILED = "failed", _("Failed inspection")
        # A certificate was issued.
        CERTIFIED = "certified", _("Certified")

    class Channel(models.TextChoices):
        FARM = "farm", _("By the farm (QR code)")
        OFFICER = "officer", _("By the township station")

    number = models.CharField(max_length=24, unique=True)
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="declarations")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9, db_index=True)
    species = SpeciesField()
    quantity = models.PositiveIntegerField()
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # The destination's province; its county or township when it lies in this province.
    destination_province = models.CharField(max_length=6)
    destination_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_premises = models.ForeignKey(
        Premises,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_declarations",
    )
    destination_address = models.CharField(max_length=200, blank=True)
    planned_departure = models.DateTimeField()
    carrier_name = models.CharField(max_length=50)
    carrier_phone = models.CharField(max_length=20)
    vehicle_plate = models.CharField(max_length=12)
    # The registered vehicle of that plate, if it is registered (unregistered ones are flagged).
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    # The dealer who bought the animals, if the declaration names one.
    dealer = models.ForeignKey(
        Dealer, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reject_reason = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    clinical_result = models.CharField(max_length=6, blank=True)
    inspection_notes = models.CharField(max_length=500, blank=True)
    inspected_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["township_code", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class Refusal(models.Model):
    """A declaration the system refused for a reason the agency should see: tags that were
    never registered, tags of another township's inventory, or more animals than the farm
    holds. Written in its own transaction, so that it outlives the refused declaration."""

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="refusals")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9, db_index=True)
    channel = models.CharField(max_length=8, choices=Declaration.Channel.choices)
    entered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    species = models.CharField(max_length=10, blank=True)
    quantity = models.PositiveIntegerField(default=0)
    on_hand = models.PositiveIntegerField(default=0)
    # Number ranges [[first, last], ...] never registered, and of another township's inventory.
    unregistered = models.JSONField(default=list)
    unregistered_count = models.PositiveIntegerField(default=0)
    foreign = models.JSONField(default=list)
    foreign_count = models.PositiveIntegerField(default=0)
    over_stock = models.BooleanField(default=False)
    # The dealer the refused declaration named, when he is registered.
    dealer = models.ForeignKey(
        Dealer, null=True, blank=True, on_delete=models.PROTECT, related_name="refusals"
    )
    # Every problem the farm was shown, as in the refusal.
    detail = models.JSONField(default=dict)
    attempted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.premises_id} {self.attempted_at:%Y-%m-%d}"


OPEN_STATES = (
    Declaration.Status.SUBMITTED,
    Declaration.Status.ACCEPTED,
    Declaration.Status.INSPECTED,
)


class DeclaredRange(NumberRange):
    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="ranges")

    class Meta(NumberRange.Meta):
        indexes = [models.Index(fields=["span", "first"])]


class TransportMode(models.TextChoices):
    """运载方式 on the national certificate form."""

    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    WATER = "water", _("Water")
    AIR = "air", _("Air")


class Certificate(models.Model):
    """An animal quarantine certificate (动物检疫合格证明): type A leaves the province, B stays."""

    class Kind(models.TextChoices):
        A = "A", _("Animals A (leaving the province)")
        B = "B", _("Animals B (within the province)")

    class Status(models.TextChoices):
        VALID = "valid", pgettext_lazy("state", "Valid")
        REVOKED = "revoked", _("Revoked")
        # Received at the destination (arrival or slaughter): it cannot be used again.
        USED = "used", _("Used")

    number = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="certificates"
    )
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="certificates")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9)
    species = SpeciesField()
    quantity = models.PositiveIntegerField()
    purpose = models.CharField(max_length=10, choices=Declaration.Purpose.choices)
    owner_name = models.CharField(max_length=50)
    owner_phone = models.CharField(max_length=20)
    # The region's names (up to ~40 characters) before an address of up to 200.
    origin = models.CharField(max_length=300)
    # The destination's province; its county or township when it lies in this province.
    destination_province = models.CharField(max_length=6)
    destination_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination = models.CharField(max_length=300)
    # Where the animals must be received: the declared premises, or the one a redirect named.
    # Empty when the declaration gave only an address (then any premises of that county).
    destination_premises = models.ForeignKey(
        Premises,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_certificates",
    )
    planned_departure = models.DateTimeField(null=True, blank=True)
    carrier_name = models.CharField(max_length=50)
    carrier_phone = models.CharField(max_length=20)
    vehicle_plate = models.CharField(max_length=12)
    # What the national form asks of the journey (运载方式, 运载工具消毒情况, 指定通道), as the
    # vet recorded it at issue; the checkpoint by its name, and the registered one it names.
    transport_mode = models.CharField(
        max_length=5, choices=TransportMode.choices, default=TransportMode.ROAD
    )
    disinfection = models.CharField(max_length=100, blank=True)
    checkpoint = models.CharField(max_length=100, blank=True)
    checkpoint_site = models.ForeignKey(
        Checkpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    valid_from = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VALID)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    revoked_reason = models.CharField(max_length=200, blank=True)
    revoked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    payload = models.TextField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["destination_premises", "status"]),
            models.Index(fields=["destination_region", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def for_slaughterhouse(self) -> bool:
        """Received by a slaughter inspection (else by an arrival report)."""
        if self.destination_premises is not None:
            return self.destination_premises.kind == Premises.Kind.SLAUGHTERHOUSE
        return self.purpose == Declaration.Purpose.SLAUGHTER


class CertificateRange(NumberRange):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="ranges")

    class Meta(NumberRange.Meta):
        indexes = [models.Index(fields=["span", "first"])]


class Redirect(models.Model):
    """A change of destination (改变到达地) recorded by a destination county, with its reason.
    The certificate is then received only at the new premises; the origin county and both
    destination counties are alerted."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="redirects")
    # The destination before the change: a premises, or only a region (an address).
    from_premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_province = models.CharField(max_length=6)
    to_premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    county_code = models.CharField(max_length=6, db_index=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate_id} → {self.to_premises_id}"


class ProvinceKey(models.Model):
    """Another province's certificate-signing public key, as the national platform publishes
    it: the key registry that checks that province's certificates, offline and online.

    The platform is not trusted to say which key is a province's: a province's first key waits
    (``pending``) until this province's administrator pins it, having compared its fingerprint
    with the one the other province gave out of band; every later key is trusted only when
    signed by a trusted key of the same province (``endorsed_by``), which it then replaces
    (``retired_at``: what the old key signs afterwards is not believed). Any other key is
    ``quarantined`` with its reason, and raised to the province administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be pinned")
        TRUSTED = "trusted", _("Trusted")
        QUARANTINED = "quarantined", _("Quarantined")

    province = models.CharField(max_length=6, db_index=True)
    kid = models.CharField(max_length=32, unique=True)
    public_key = models.CharField(max_length=64)
    valid_from = models.DateTimeField()
    fetched_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # Why a key is quarantined, in the administrator's words or the system's.
    reason = models.CharField(max_length=200, blank=True)
    # The key that signed this one (rotation), and that signature as it came.
    endorsed_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="endorsed"
    )
    endorsement = models.TextField(blank=True)
    pinned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pinned_at = models.DateTimeField(null=True, blank=True)
    # Replaced by a later key from this moment: certificates it signed before still verify.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["province", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.province} {self.kid}"

    @property
    def trusted(self) -> bool:
        return self.status == self.Status.TRUSTED


class ForeignCertificate(models.Model):
    """A type A certificate another province issued for animals coming to this one, as the
    national platform hands it over: what a checkpoint and the destination check against."""

    number = models.CharField(max_length=20)
    province = models.CharField(max_length=6, db_index=True)
    # The QR payload as the issuing province signed it: every field below is read from it
    # (origin and destination names from ``details``, signed by the same key).
    payload = models.TextField()
    details = models.TextField(blank=True)
    key = models.ForeignKey(
        ProvinceKey, null=True, on_delete=models.PROTECT, related_name="certificates"
    )
    species = models.CharField(max_length=10)
    quantity = models.PositiveIntegerField()
    purpose = models.CharField(max_length=10, blank=True)
    origin = models.CharField(max_length=200)
    destination = models.CharField(max_length=200)
    # Where in this province the animals go: the county or township the issuer signed, else
    # the county its signed address names (pre-notification, #30); empty when neither says.
    destination_region = models.CharField(max_length=9, blank=True, db_index=True)
    valid_from = models.DateField()
    valid_until = models.DateField()
    # The tags as ranges [[first, last], ...] of integers.
    tags = models.JSONField(default=list)
    fetched_at = models.DateTimeField(auto_now=True)
    # Revoked by the issuing province, as the platform reports it: final once known.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    # The issuing province's signed revocation, as it came.
    revocation = models.TextField(blank=True)

    class Meta:
        ordering = ["-valid_from", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"], name="foreign_certificate_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def species_label(self) -> str:
        return species_label(self.species)

    @property
    def for_slaughterhouse(self) -> bool:
        """Received by a slaughter inspection (else by an arrival report)."""
        return self.purpose == Declaration.Purpose.SLAUGHTER
