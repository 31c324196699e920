from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earmark.core.species import SpeciesField, species_labels
from earmark.eartags.codes import format_tag
from earmark.eartags.models import Tag
from earmark.farms.models import Premises

USER = settings.AUTH_USER_MODEL


class Disease(models.Model):
    """A disease vaccinated against (compulsory or not), edited by the province."""

    code = models.SlugField(max_length=32, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CompulsoryDisease(models.Model):
    """A disease every animal of a species must be protected against; in every county, or
    only in the counties that vaccinate against it (brucellosis)."""

    species = SpeciesField()
    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="compulsory")
    # Empty: the whole province. Otherwise one county that vaccinates.
    county_code = models.CharField(max_length=6, blank=True)

    class Meta:
        ordering = ["species", "disease_id", "county_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["species", "disease", "county_code"], name="compulsory_disease_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.species}:{self.disease_id}:{self.county_code or '*'}"


class Vaccine(models.Model):
    class Kind(models.TextChoices):
        INACTIVATED = "inactivated", _("Inactivated")
        LIVE = "live", _("Live attenuated")
        SUBUNIT = "subunit", _("Subunit or synthetic peptide")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=100)
    diseases = models.ManyToManyField(Disease, related_name="vaccines")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    manufacturer = models.CharField(max_length=100)
    protection_days = models.PositiveIntegerField()
    species = models.CharField(max_length=40, help_text="comma-separated species it is for")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "manufacturer"]
        constraints = [
            models.UniqueConstraint(fields=["name", "manufacturer"], name="vaccine_unique"),
            models.CheckConstraint(
                condition=models.Q(protection_days__gt=0), name="vaccine_protects"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.manufacturer}）"

    @property
    def species_list(self) -> list[str]:
        return [s for s in self.species.split(",") if s]


class Animal(models.Model):
    """An animal known by its tags; created when its first tag is applied."""

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        UNKNOWN = "unknown", _("Unknown")

    class Status(models.TextChoices):
        ALIVE = "alive", _("On the premises")
        IN_TRANSIT = "in_transit", _("In transit")
        SLAUGHTERED = "slaughtered", _("Slaughtered")
        DEAD = "dead", _("Dead")

    species = SpeciesField()
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="animals")
    county_code = models.CharField(max_length=6, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ALIVE)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    breed = models.CharField(max_length=50, blank=True)
    is_breeding = models.BooleanField(default=False)
    is_dairy = models.BooleanField(default=False)
    # The dam's tag number, for breeding animals' individual records.
    dam_tag = models.BigIntegerField(null=True, blank=True)
    # The county (or, from outside, the province) it came from on its latest arrival; empty
    # for an animal that never moved. Re-immunization tags are for animals from outside.
    arrived_from = models.CharField(max_length=6, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["premises", "species", "status"])]

    def __str__(self) -> str:
        return f"{self.species} #{self.pk}"


class AnimalTag(models.Model):
    """A tag on an animal: which ear, when, by whom, from whose stock, and what it replaced."""

    class Ear(models.TextChoices):
        LEFT = "left", _("Left ear")
        RIGHT = "right", _("Right ear")

    class Reason(models.TextChoices):
        FIRST = "first", _("First tag")
        REPLACEMENT = "replacement", _("Replacement for a lost tag")
        REIMMUNIZATION = "reimmunization", _("Re-immunized after arrival from another county")

    tag = models.OneToOneField(Tag, on_delete=models.PROTECT, related_name="application")
    animal = models.ForeignKey(Animal, on_delete=models.PROTECT, related_name="tags")
    ear = models.CharField(max_length=6, choices=Ear.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    replaces = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    source_holder = models.CharField(max_length=40)
    applied_on = models.DateField()
    # The moment of tagging (the session's time), so that the trace orders it truthfully.
    applied_at = models.DateTimeField()
    applied_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # How the tag and pliers were disinfected, and which pliers (art. 15); empty on first tags,
    # whose session records them.
    disinfection = models.CharField(max_length=100, blank=True)
    pliers = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["applied_on", "id"]

    def __str__(self) -> str:
        return f"{format_tag(self.tag_id)} → {self.animal_id}"


class ImmunizationRecord(models.Model):
    """One vaccination session at one premises (Order 13 art. 9), signed by its vaccinator."""

    class Campaign(models.TextChoices):
        SPRING = "spring", _("Spring campaign")
        AUTUMN = "autumn", _("Autumn campaign")
        MONTHLY = "monthly", _("Monthly catch-up")
        ROUTINE = "routine", _("Routine")
        ARRIVAL = "arrival", _("After arrival")

    class AgeUnit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")

    number = models.CharField(max_length=24, unique=True)
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="immunizations")
    county_code = models.CharField(max_length=6, db_index=True)
    township_code = models.CharField(max_length=9, db_index=True)
    owner_name = models.CharField(max_length=50)
    species = SpeciesField()
    age = models.PositiveIntegerField(null=True, blank=True)
    age_unit = models.CharField(max_length=6, choices=AgeUnit.choices, blank=True)
    vaccinated_on = models.DateField()
    # The moment of the session: now for today's session, the time given or the end of the
    # day (never later than the recording) for an earlier one.
    vaccinated_at = models.DateTimeField()
    vaccine = models.ForeignKey(Vaccine, on_delete=models.PROTECT, related_name="+")
    batch_number = models.CharField(max_length=50)
    manufacturer = models.CharField(max_length=100)
    seller = models.CharField(max_length=100, blank=True)
    # How the tags and pliers were disinfected for the session, and which pliers (art. 15).
    disinfection = models.CharField(max_length=100, blank=True)
    pliers = models.CharField(max_length=40, blank=True)
    campaign = models.CharField(max_length=10, choices=Campaign.choices, default=Campaign.ROUTINE)
    protection_days = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    vaccinator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    vaccinator_number = models.CharField(max_length=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-vaccinated_on", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def incomplete(self) -> list[str]:
        """What art. 9 lists that this record lacks (a record kept before the rule): flagged,
        never rewritten."""
        missing = []
        if self.age is None:
            missing.append("age")
        if not self.seller:
            missing.append("seller")
        return missing


class ImmunizedAnimal(models.Model):
    record = models.ForeignKey(ImmunizationRecord, on_delete=models.PROTECT, related_name="animals")
    animal = models.ForeignKey(Animal, on_delete=models.PROTECT, related_name="immunizations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "animal"], name="immunized_animal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record_id}:{self.animal_id}"


class LegacyImmunization(models.Model):
    """A record imported from the 2002 system: 8-digit tag (postal code + vaccinator) and, where
    the tag carried one, the add-on code of the basic prevention unit (art. 7)."""

    code = models.CharField(max_length=8, db_index=True)
    addon = models.CharField(max_length=12, blank=True)
    postal_code = models.CharField(max_length=6)
    vaccinator_number = models.CharField(max_length=2)
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county_code = models.CharField(max_length=6, db_index=True)
    species = SpeciesField()
    vaccinated_on = models.DateField()
    vaccine_name = models.CharField(max_length=100)
    batch_number = models.CharField(max_length=50, blank=True)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    source_line = models.PositiveIntegerField()

    class Meta:
        ordering = ["code", "vaccinated_on"]

    def __str__(self) -> str:
        return self.code


class FarmVet(models.Model):
    """A scale farm's own veterinarian approved by the county to immunize and tag that farm's
    animals (Order 13 art. 13), for some species and a period; the county may revoke it."""

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="farm_approvals")
    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="farm_vets")
    county_code = models.CharField(max_length=6, db_index=True)
    certificate_number = models.CharField(max_length=50)
    species = models.JSONField(default=list)
    valid_from = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.APPROVED)
    revoked_reason = models.CharField(max_length=200, blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-approved_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "premises"],
                condition=models.Q(status="approved"),
                name="one_standing_approval_per_vet_and_farm",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="farm_vet_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.premises}"

    @property
    def species_labels(self) -> str:
        return species_labels(self.species)

    def covers(self, species: str, day: date) -> bool:
        return (
            self.status == self.Status.APPROVED
            and species in self.species
            and self.valid_from <= day <= self.valid_until
        )
