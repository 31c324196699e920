"""The vaccine catalogue, the compulsory diseases and the species followed, edited by the
province (Order 13 art. 30: the province adds species to the programme)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, invalid
from earmark.core.models import Species, SpeciesDigit
from earmark.core.species import CODE_PATTERN, species_codes, species_known
from earmark.immunization.errors import SPECIES_TAKEN, VACCINE_TAKEN
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
    if not species or set(species) - set(species_codes()):
        errors["species"] = _("Choose the species it is for.")
    if errors:
        raise invalid(_("The vaccine could not be saved."), errors)
    if Vaccine.objects.filter(name=name.strip(), manufacturer=manufacturer.strip()).exists():
        raise BusinessError(code=VACCINE_TAKEN)
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
    if not species_known(species) or not Disease.objects.filter(code=disease).exists():
        raise BusinessError(_("Choose a species and a disease from the lists."), code=INVALID_INPUT)
    if (
        county_code
        and not Region.objects.filter(code=county_code, level=Region.Level.COUNTY).exists()
    ):
        raise BusinessError(
            _("%(code)s is not a county.") % {"code": county_code}, code=INVALID_INPUT
        )
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


# A tag code's first digit: 1–9 (0 would make a 14-digit number).
DIGITS = range(1, 10)
CHINESE_NAME = re.compile(r"[\u4e00-\u9fff]{1,20}")
ENGLISH_NAME = re.compile(r"[A-Za-z][A-Za-z /-]{0,39}")
UNIT = re.compile(r"[\u4e00-\u9fff]{1,4}")
ALIAS = re.compile(r"[^\W_]{1,20}")


@dataclass(frozen=True)
class NewSpecies:
    code: str
    name: str
    name_en: str
    unit: str
    digits: list[int]
    diseases: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@transaction.atomic
def species_add(*, actor: User, data: NewSpecies) -> Species:
    """The province adds a species with its tag digits, name, measure word and compulsory
    diseases; from then on every page, import, check and count offers and accepts it."""
    require_role(actor, Role.PROVINCE_ADMIN)
    errors: dict[str, str] = {}
    code = data.code.strip()
    if not re.fullmatch(CODE_PATTERN, code):
        errors["code"] = _(
            "The code is 2 to 10 lower-case Latin letters, digits or underscores, starting with "
            "a letter (horse)."
        )
    # Names go into sheets' headers and drop-down lists and onto certificates: words only,
    # never a formula or a list separator.
    name = data.name.strip()
    if not CHINESE_NAME.fullmatch(name):
        errors["name"] = _("Enter the Chinese name in Chinese characters (at most 20).")
    name_en = data.name_en.strip()
    if not ENGLISH_NAME.fullmatch(name_en):
        errors["name_en"] = _("Enter the English name in Latin letters (at most 40).")
    unit = data.unit.strip()
    if not UNIT.fullmatch(unit):
        errors["unit"] = _("Enter the measure word of the certificate (头, 只, 匹).")
    digits = sorted(set(data.digits))
    if not digits or any(d not in DIGITS for d in digits):
        errors["digits"] = _("Give the first digits of its tag codes, 1 to 9.")
    aliases = [a.strip() for a in data.aliases if a.strip()]
    if not all(ALIAS.fullmatch(a) for a in aliases) or len(",".join(aliases)) > 200:
        errors["aliases"] = _("Other names: each a word of at most 20 letters or characters.")
    known = set(Disease.objects.filter(code__in=data.diseases).values_list("code", flat=True))
    if known != set(data.diseases):
        errors["diseases"] = _("Choose the compulsory diseases from the list.")
    if errors:
        raise invalid(_("The species could not be added."), errors)
    _refuse_taken(code, name, digits)
    try:
        with transaction.atomic():
            species = Species.objects.create(
                code=code,
                name=name,
                name_en=name_en,
                unit=unit,
                aliases=",".join(aliases),
                position=(Species.objects.aggregate(last=Max("position"))["last"] or 0) + 1,
            )
            SpeciesDigit.objects.bulk_create(SpeciesDigit(digit=d, species=species) for d in digits)
    except IntegrityError:
        # Another addition of the same code, name or digit committed in the meantime.
        _refuse_taken(code, name, digits)
        raise
    CompulsoryDisease.objects.bulk_create(
        CompulsoryDisease(species=code, disease_id=disease, county_code="")
        for disease in sorted(known)
    )
    audit_record(
        actor=actor,
        action="species.add",
        obj=species,
        details={"code": code, "name": name, "digits": digits, "diseases": sorted(known)},
    )
    return species


def _refuse_taken(code: str, name: str, digits: list[int]) -> None:
    fields: dict[str, str] = {}
    if Species.objects.filter(code=code).exists():
        fields["code"] = _("The code %(code)s is taken.") % {"code": code}
    if Species.objects.filter(name=name).exists():
        fields["name"] = _("%(name)s is followed already.") % {"name": name}
    taken = SpeciesDigit.objects.filter(digit__in=digits).select_related("species")
    if taken:
        fields["digits"] = "；".join(
            _("digit %(digit)d marks %(species)s") % {"digit": t.digit, "species": t.species.name}
            for t in taken
        )
    if fields:
        raise BusinessError(code=SPECIES_TAKEN, fields=fields)
