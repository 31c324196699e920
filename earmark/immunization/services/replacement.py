"""Tags in the right ear: a replacement for a lost or damaged tag (Order 13 art. 16), and the
new tag of an animal re-immunized after it came from outside the county (art. 14); both stay
the same animal, with its history."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound
from earmark.core.species import species_digits, species_label
from earmark.core.validators import has_control_characters
from earmark.eartags.codes import format_tag, species_of
from earmark.eartags.holders import Holder
from earmark.eartags.messages import parse_one_tag
from earmark.eartags.models import Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import used_tags
from earmark.eartags.selectors.inventory import pliers_held_by
from earmark.eartags.services.usage import events_record, tags_transition, take_unused
from earmark.immunization.errors import RETAGGING_REFUSED
from earmark.immunization.models import Animal, AnimalTag
from earmark.immunization.services.tagging import _held, require_vaccinator


def animal_by_tag(number: int) -> Animal:
    application = AnimalTag.objects.select_related("animal__premises").filter(tag_id=number).first()
    if application is None:
        raise NotFound(_("No animal carries tag %(tag)s.") % {"tag": format_tag(number)})
    return application.animal


def arrived_from_outside(animal: Animal) -> bool:
    """Whether the animal's record holds an arrival from another county or province."""
    return bool(animal.arrived_from) and animal.arrived_from != animal.premises.county_code


def new_tag_problems(animal: Animal, new_number: int) -> list[str]:
    """Why ``new_number`` cannot go into the animal's right ear (empty when it can)."""
    problems = []
    if species_of(new_number, species=species_digits()) != animal.species:
        problems.append(
            _("%(tag)s is not a %(species)s tag.")
            % {"tag": format_tag(new_number), "species": species_label(animal.species)}
        )

    if used_tags(RangeSet(((new_number, new_number),))):
        problems.append(
            _("A tag is applied only once; these were used already: %(ranges)s.")
            % {"ranges": format_tag(new_number)}
        )
    return problems


def right_ear_tag(
    *,
    actor: User,
    animal: Animal,
    old_number: int,
    new_number: int,
    reason: str,
    note: str,
    disinfection: str,
    pliers: str = "",
) -> AnimalTag:
    """Put ``new_number`` in the animal's right ear, taken from the farm's or the vaccinator's
    stock, linked to the tag it follows; runs in the caller's transaction."""
    own = Holder(vaccinator=actor)
    farm = Holder(premises=animal.premises)
    single = RangeSet(((new_number, new_number),))
    source = farm if _held(farm, animal.species, single) else own
    [piece] = take_unused(source=source, species=animal.species, numbers=single)
    tag = Tag.objects.create(
        number=new_number,
        species=animal.species,
        state=Tag.State.APPLIED,
        registered_range_id=piece.registered_range_id,
        county_code=piece.county_code,
        township_code=piece.township_code,
        premises=animal.premises,
    )
    now = timezone.now()
    application = AnimalTag.objects.create(
        tag=tag,
        animal=animal,
        ear=AnimalTag.Ear.RIGHT,
        reason=reason,
        replaces_id=old_number,
        source_holder=source.key,
        applied_on=timezone.localtime(now).date(),
        applied_at=now,
        applied_by=actor,
        disinfection=disinfection.strip(),
        pliers=pliers.strip(),
    )
    events_record(
        numbers=single,
        tags={new_number: tag},
        kind=TagEvent.Kind.REPLACED,
        actor=actor,
        holder=animal.premises.name,
        document_type="tag",
        document_id=format_tag(old_number),
    )
    audit_record(
        actor=actor,
        action="tags.replace",
        obj=animal,
        region_code=animal.premises.township_id,
        details={
            "old": format_tag(old_number),
            "new": format_tag(new_number),
            "reason": reason,
            "note": note,
        },
    )
    return application


@transaction.atomic
def tagging_problems(
    actor: User, *, disinfection: str, pliers: str, applies_tags: bool = True
) -> dict[str, str]:
    """Art. 15: tags and pliers are disinfected for use — whoever applies a tag says how; the
    pliers named are ones the vaccinator holds."""
    errors: dict[str, str] = {}
    if applies_tags and not disinfection.strip():
        errors["disinfection"] = _(
            "Record how the tags and pliers were disinfected (MoA Order 13, art. 15)."
        )
    elif len(disinfection) > 100 or has_control_characters(disinfection):
        errors["disinfection"] = _("At most %(n)d characters, without control characters.") % {
            "n": 100
        }
    serial = pliers.strip()
    if serial and serial not in pliers_held_by(vaccinator=actor):
        errors["pliers"] = _("You do not hold pliers %(serial)s.") % {"serial": serial}
    return errors


def tag_replace(
    *,
    actor: User,
    old: str,
    new: str,
    reason: str,
    note: str = "",
    disinfection: str = "",
    pliers: str = "",
) -> AnimalTag:
    """A lost or damaged tag: a new one in the right ear of the same animal, whose history
    carries over; the old tag is marked lost (free of charge, art. 16). Re-tagging an animal
    re-immunized after coming from another county comes with its vaccination
    (``retagging.animal_reimmunize``)."""
    old_number, new_number = parse_one_tag(old), parse_one_tag(new)
    animal = animal_by_tag(old_number)
    require_vaccinator(actor, animal.premises)
    if reason not in ("lost", "damaged"):
        raise BusinessError(
            _("A replacement is for a lost or damaged tag."),
            code=INVALID_INPUT,
            fields={"reason": _("Choose lost or damaged.")},
        )
    fields = tagging_problems(actor, disinfection=disinfection, pliers=pliers)
    problems = new_tag_problems(animal, new_number)
    if problems:
        fields["new"] = "；".join(problems)
    if fields:
        message = "；".join(problems) if problems else _("The new tag could not be recorded.")
        raise BusinessError(message, code=RETAGGING_REFUSED, fields=fields)
    tags_transition(
        numbers=[old_number],
        event="lose",
        actor=actor,
        holder=animal.premises.name,
        document_type="replacement",
        document_id=format_tag(new_number),
    )
    return right_ear_tag(
        actor=actor,
        animal=animal,
        old_number=old_number,
        new_number=new_number,
        reason=AnimalTag.Reason.REPLACEMENT,
        note=note,
        disinfection=disinfection,
        pliers=pliers,
    )
