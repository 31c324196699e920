"""The vaccine catalogue and the compulsory diseases, edited by the province."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, Conflict
from earmark.core.species import Species
from earmark.immunization.models import CompulsoryDisease, Disease, Vaccine
from earmark.regions.models import Region


@transaction.atomic
def vaccine_create(
    *,
    actor: User,
    name: str,
    diseases: list[str],
    kind: str,
    manufacturer: str,
    protection_days: int,
    species: list[str],
) -> Vaccine:
    require_role(actor, Role.PROVINCE_ADMIN)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the vaccine.")
    if not manufacturer.strip():
        errors["manufacturer"] = _("Name the manufacturer.")
    known = set(Disease.objects.filter(code__in=diseases).values_list("code", flat=True))
    if not diseases or known != set(diseases):
        errors["diseases"] = _("Choose the diseases it protects against from the list.")
    if kind not in Vaccine.Kind.values:
        errors["kind"] = _("Choose the kind of vaccine.")
    if protection_days <= 0 or protection_days > 3650:
        errors["protection_days"] = _("The protection period is 1 to 3650 days.")
    if not species or set(species) - set(Species.values):
        errors["species"] = _("Choose the species it is for.")
    if errors:
        raise BusinessError(_("The vaccine could not be saved."), code="invalid", fields=errors)
    if Vaccine.objects.filter(name=name.strip(), manufacturer=manufacturer.strip()).exists():
        raise Conflict(_("This vaccine of this manufacturer is already in the catalogue."))
    vaccine = Vaccine.objects.create(
        name=name.strip(),
        kind=kind,
        manufacturer=manufacturer.strip(),
        protection_days=protection_days,
        species=",".join(sorted(set(species))),
    )
    vaccine.diseases.set(Disease.objects.filter(code__in=diseases))
    audit_record(
        actor=actor,
        action="vaccine.create",
        obj=vaccine,
        details={"name": vaccine.name, "diseases": sorted(diseases), "days": protection_days},
    )
    return vaccine


@transaction.atomic
def vaccine_set_active(*, actor: User, vaccine: Vaccine, active: bool) -> Vaccine:
    """Withdraw a vaccine from use (its records stay) or bring it back."""
    require_role(actor, Role.PROVINCE_ADMIN)
    vaccine.is_active = active
    vaccine.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="vaccine.activate" if active else "vaccine.withdraw", obj=vaccine
    )
    return vaccine


@transaction.atomic
def compulsory_set(
    *, actor: User, species: str, disease: str, county_code: str = "", on: bool
) -> None:
    """Make a disease compulsory for a species (province-wide, or in one county), or stop."""
    require_role(actor, Role.PROVINCE_ADMIN)
    if species not in Species.values or not Disease.objects.filter(code=disease).exists():
        raise BusinessError(_("Choose a species and a disease from the lists."), code="invalid")
    if (
        county_code
        and not Region.objects.filter(code=county_code, level=Region.Level.COUNTY).exists()
    ):
        raise BusinessError(_("%(code)s is not a county.") % {"code": county_code}, code="invalid")
    if on:
        CompulsoryDisease.objects.get_or_create(
            species=species, disease_id=disease, county_code=county_code
        )
    else:
        CompulsoryDisease.objects.filter(
            species=species, disease_id=disease, county_code=county_code
        ).delete()
    audit_record(
        actor=actor,
        action="compulsory.set",
        object_type="immunization.compulsorydisease",
        object_id=f"{species}:{disease}:{county_code or '*'}",
        region_code=county_code,
        details={"on": on},
    )
