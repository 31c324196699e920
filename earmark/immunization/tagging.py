"""Applying tags to animals, replacing lost ones, and re-tagging animals re-immunized after
arriving from another county (Order 13 art. 13–16; Order 67 art. 11–12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, NotFound
from earmark.core.species import Species
from earmark.eartags.codes import CodeError, format_tag, parse_tag, species_of
from earmark.eartags.holders import Holder
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Holding, Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.usage import events_record, tags_transition, take_unused
from earmark.farms.models import Premises, Stock
from earmark.immunization.models import Animal, AnimalTag


@dataclass(frozen=True)
class AnimalDetails:
    """What is known of the animals being tagged; breeding and dairy animals get more."""

    birth_date: date | None = None
    sex: str = Animal.Sex.UNKNOWN
    breed: str = ""
    is_breeding: bool = False
    is_dairy: bool = False
    dam_tag: int | None = None


def require_vaccinator(actor: User, premises: Premises) -> None:
    # Another jurisdiction's premises does not exist for the actor; then the role is checked.
    require_region(actor, premises.township_id)
    require_role(actor, Role.VACCINATOR)
    if not premises.keeps_animals:
        raise BusinessError(
            _("Animals are tagged at farms and households, not at a %(kind)s.")
            % {"kind": premises.get_kind_display()},
            code="invalid",
        )


def tagged_count(premises: Premises, species: str) -> int:
    return Animal.objects.filter(
        premises=premises, species=species, status=Animal.Status.ALIVE
    ).count()


def check_stock_room(premises: Premises, species: str, adding: int) -> None:
    """Tagged animals on a premises never exceed its stock for the species."""
    on_hand = (
        Stock.objects.filter(premises=premises, species=species)
        .values_list("quantity", flat=True)
        .first()
        or 0
    )
    tagged = tagged_count(premises, species)
    if tagged + adding > on_hand:
        raise BusinessError(
            _(
                "%(premises)s has %(on_hand)d %(species)s on hand and %(tagged)d tagged already; "
                "%(adding)d more would exceed the stock. Record the stock change first."
            )
            % {
                "premises": premises.name,
                "on_hand": on_hand,
                "species": Species(species).label,
                "tagged": tagged,
                "adding": adding,
            },
            code="over_stock",
            detail={"on_hand": on_hand, "tagged": tagged, "adding": adding},
        )


def wrong_species(numbers: RangeSet, species: str) -> RangeSet:
    """Numbers whose species digit is not ``species`` (a range shares its first number's)."""
    return RangeSet.of((a, b) for a, b in numbers if species_of(a) != species)


def tags_apply(
    *,
    actor: User,
    premises: Premises,
    species: str,
    numbers: RangeSet,
    details: AnimalDetails | None = None,
    applied_on: date | None = None,
) -> list[Animal]:
    """Put unused tags on new animals at ``premises``, left ear first, from the vaccinator's
    own stock or from the tags issued to the farm (a scale farm tagging its own animals).
    Runs inside the caller's transaction (the immunization record) or its own."""
    with transaction.atomic():
        require_vaccinator(actor, premises)
        applied_on = applied_on or timezone.localdate()
        details = details or AnimalDetails()
        if not numbers:
            return []
        _refuse_used(numbers)
        mismatched = wrong_species(numbers, species)
        if mismatched:
            raise BusinessError(
                _("These tags are not %(species)s tags: %(ranges)s.")
                % {"species": Species(species).label, "ranges": format_ranges(mismatched)},
                code="wrong_species",
            )
        check_stock_room(premises, species, numbers.count)
        own = Holder(vaccinator=actor)
        farm = Holder(premises=premises)
        farm_held = _held(farm, species, numbers)
        taken = take_unused(source=own, species=species, numbers=numbers.difference(farm_held))
        taken += take_unused(source=farm, species=species, numbers=farm_held) if farm_held else []
        sources = {
            **{n: own.key for n in numbers.difference(farm_held).expand()},
            **{n: farm.key for n in farm_held.expand()},
        }
        tags = [
            Tag(
                number=number,
                species=species,
                state=Tag.State.APPLIED,
                registered_range_id=piece.registered_range_id,
                county_code=piece.county_code,
                township_code=piece.township_code,
                premises=premises,
            )
            for piece in taken
            for number in range(piece.first, piece.last + 1)
        ]
        Tag.objects.bulk_create(tags, batch_size=1000)
        animals = Animal.objects.bulk_create(
            [
                Animal(
                    species=species,
                    premises=premises,
                    county_code=premises.county_code,
                    birth_date=details.birth_date,
                    sex=details.sex,
                    breed=details.breed[:50],
                    is_breeding=details.is_breeding,
                    is_dairy=details.is_dairy,
                    dam_tag=details.dam_tag,
                )
                for _tag in tags
            ],
            batch_size=1000,
        )
        AnimalTag.objects.bulk_create(
            [
                AnimalTag(
                    tag=tag,
                    animal=animal,
                    ear=AnimalTag.Ear.LEFT,
                    reason=AnimalTag.Reason.FIRST,
                    source_holder=sources[tag.number],
                    applied_on=applied_on,
                    applied_by=actor,
                )
                for tag, animal in zip(tags, animals, strict=True)
            ],
            batch_size=1000,
        )
        events_record(
            numbers=numbers,
            tags={t.number: t for t in tags},
            kind=TagEvent.Kind.APPLIED,
            actor=actor,
            holder=premises.name,
            document_type="premises",
            document_id=premises.code,
        )
        audit_record(
            actor=actor,
            action="tags.apply",
            obj=premises,
            region_code=premises.township_id,
            details={"species": species, "count": numbers.count, "ranges": len(numbers.ranges)},
        )
        return animals


def _held(holder: Holder, species: str, numbers: RangeSet) -> RangeSet:
    rows = Holding.objects.filter(
        **holder.lookup(), species=species, state=Holding.State.AVAILABLE
    ).values_list("first", "last")
    return RangeSet.of(rows).intersection(numbers)


def _refuse_used(numbers: RangeSet) -> None:
    from earmark.eartags.checks import used_tags

    used = used_tags(numbers)
    if used:
        found = RangeSet.from_numbers(t.number for t in used)
        raise BusinessError(
            _("A tag is applied only once; these were used already: %(ranges)s.")
            % {"ranges": format_ranges(found)},
            code="already_used",
            detail={"used": [list(r) for r in found.ranges]},
        )


def _parse_one(text: str) -> int:
    try:
        return parse_tag(text)
    except CodeError as error:
        raise BusinessError(
            _("%(text)s is not a 15-digit tag number.") % {"text": text}, code="invalid"
        ) from error


def animal_by_tag(number: int) -> Animal:
    application = AnimalTag.objects.select_related("animal__premises").filter(tag_id=number).first()
    if application is None:
        raise NotFound(_("No animal carries tag %(tag)s.") % {"tag": format_tag(number)})
    return application.animal


@transaction.atomic
def tag_replace(*, actor: User, old: str, new: str, reason: str, note: str = "") -> AnimalTag:
    """A new tag in the right ear of the same animal, whose history carries over.

    ``reason`` "lost" or "damaged": the old tag is marked lost (free of charge, art. 16).
    ``reason`` "reimmunization": an animal from another county re-immunized here keeps its old
    tag and gets a new one (art. 14) — unless it is a breeding or dairy animal still protected.
    """
    old_number, new_number = _parse_one(old), _parse_one(new)
    animal = animal_by_tag(old_number)
    require_vaccinator(actor, animal.premises)
    if reason not in ("lost", "damaged", "reimmunization"):
        raise BusinessError(_("Say why the animal gets a new tag."), code="invalid")
    if reason == "reimmunization" and (animal.is_breeding or animal.is_dairy):
        from earmark.immunization.selectors import animal_protected

        if animal_protected(animal, timezone.localdate()):
            raise BusinessError(
                _(
                    "A breeding or dairy animal that is still protected keeps its tag; "
                    "it is not re-tagged."
                ),
                code="still_protected",
            )
    if species_of(new_number) != animal.species:
        raise BusinessError(
            _("%(tag)s is not a %(species)s tag.")
            % {"tag": format_tag(new_number), "species": Species(animal.species).label},
            code="wrong_species",
        )
    _refuse_used(RangeSet(((new_number, new_number),)))
    if reason in ("lost", "damaged"):
        tags_transition(
            numbers=[old_number],
            event="lose",
            actor=actor,
            holder=animal.premises.name,
            document_type="replacement",
            document_id=format_tag(new_number),
        )
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
    application = AnimalTag.objects.create(
        tag=tag,
        animal=animal,
        ear=AnimalTag.Ear.RIGHT,
        reason=AnimalTag.Reason.REIMMUNIZATION
        if reason == "reimmunization"
        else AnimalTag.Reason.REPLACEMENT,
        replaces_id=old_number,
        source_holder=source.key,
        applied_on=timezone.localdate(),
        applied_by=actor,
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


def tagged_by_species(premises: Premises) -> dict[str, int]:
    return dict(
        Animal.objects.filter(premises=premises, status=Animal.Status.ALIVE)
        .values_list("species")
        .annotate(n=Count("id"))
        .values_list("species", "n")
    )
