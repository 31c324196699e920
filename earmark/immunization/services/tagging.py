"""Applying tags to animals, replacing lost ones, and re-tagging animals re-immunized after
arriving from another county (Order 13 art. 13–16; Order 67 art. 11–12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound
from earmark.core.species import species_digits, species_label
from earmark.core.validators import has_control_characters
from earmark.eartags.codes import format_range, format_tag, species_of
from earmark.eartags.errors import TAGS_ALREADY_USED
from earmark.eartags.holders import Holder
from earmark.eartags.messages import format_ranges, parse_one_tag, range_items
from earmark.eartags.models import Holding, Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import tags_check, used_tags
from earmark.eartags.selectors.inventory import pliers_held_by
from earmark.eartags.services.usage import events_record, tags_transition, take_unused
from earmark.farms.models import Premises, Stock
from earmark.farms.services.stock import premises_lock
from earmark.immunization.errors import NOT_A_FARM, NOT_APPROVED, OVER_STOCK, RETAGGING_REFUSED
from earmark.immunization.models import Animal, AnimalTag, FarmVet


@dataclass(frozen=True)
class AnimalDetails:
    """What is known of the animals being tagged; breeding and dairy animals get more."""

    birth_date: date | None = None
    sex: str = Animal.Sex.UNKNOWN
    breed: str = ""
    is_breeding: bool = False
    is_dairy: bool = False
    dam_tag: int | None = None


def require_vaccinator(
    actor: User, premises: Premises, *, species: str = "", day: date | None = None
) -> None:
    """Who may immunize and tag at ``premises``: the township's vaccinators, and the farm's own
    veterinarian approved by the county for it (Order 13 art. 13) — for the species and the
    day (``species``, ``day``) his approval covers."""
    # Another jurisdiction's premises does not exist for the actor; then the role is checked.
    require_region(actor, premises.township_id)
    if actor.has_role(Role.FARM_VET) and not actor.has_role(Role.VACCINATOR):
        _require_approval(actor, premises, species, day)
    else:
        require_role(actor, Role.VACCINATOR)
    if not premises.keeps_animals:
        raise BusinessError(
            _("Animals are tagged at farms and households, not at a %(kind)s.")
            % {"kind": premises.get_kind_display()},
            code=NOT_A_FARM,
        )


def _require_approval(actor: User, premises: Premises, species: str, day: date | None) -> None:
    approvals = list(
        FarmVet.objects.filter(user=actor, premises=premises, status=FarmVet.Status.APPROVED)
    )
    if not approvals:
        raise BusinessError(
            _("You are not approved to immunize and tag at %(premises)s.")
            % {"premises": premises.name},
            code=NOT_APPROVED,
        )
    day = day or timezone.localdate()
    if species and not any(a.covers(species, day) for a in approvals):
        raise BusinessError(
            _("Your approval for %(premises)s does not cover %(species)s on %(date)s.")
            % {
                "premises": premises.name,
                "species": species_label(species),
                "date": day.isoformat(),
            },
            code=NOT_APPROVED,
        )


def tagged_count(premises: Premises, species: str) -> int:
    return Animal.objects.filter(
        premises=premises, species=species, status=Animal.Status.ALIVE
    ).count()


def check_stock_room(premises: Premises, species: str, adding: int) -> None:
    """Tagged animals on a premises never exceed its stock for the species; two sessions on
    one farm take turns, so that both cannot pass on the same room."""
    premises_lock(premises)
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
                "species": species_label(species),
                "tagged": tagged,
                "adding": adding,
            },
            code=OVER_STOCK,
        )


def stock_room_problem(premises: Premises, species: str, adding: int) -> str:
    """Why ``adding`` more tagged animals would not fit the stock (empty when they fit)."""
    try:
        check_stock_room(premises, species, adding)
    except BusinessError as error:
        return str(error.message)
    return ""


def _problem(first: int, last: int, message: str) -> dict[str, str]:
    text = format_range(first, last)
    return {"text": text, "message": message}


def application_problems(
    *, actor: User, premises: Premises, species: str, numbers: RangeSet
) -> list[dict[str, str]]:
    """Why each of ``numbers`` (unused tags) cannot be put on an animal at ``premises`` by the
    vaccinator ``actor``, range by range, in the words a vaccinator uses: not a pig tag, a tag
    of another county, still at the station, given to another vaccinator, never registered."""

    problems: list[dict[str, str]] = []
    label = species_label(species)
    for first, last in wrong_species(numbers, species):
        problems.append(_problem(first, last, _("not a %(species)s tag") % {"species": label}))
    usable = _held(Holder(vaccinator=actor), species, numbers).union(
        _held(Holder(premises=premises), species, numbers)
    )
    missing = numbers.difference(usable).difference(wrong_species(numbers, species))
    if not missing:
        return problems
    own = Holder(vaccinator=actor).key
    for segment in tags_check(numbers=missing, township=premises.township_id).segments:
        if not segment.registered:
            message = _("never registered: possibly a forged tag")
        elif segment.county_code != premises.county_code:
            message = _("a tag of another county")
        elif segment.state == Holding.State.VOIDED:
            message = _("voided")
        elif segment.state == Holding.State.DESTROYED:
            message = _("destroyed")
        elif segment.holder_key.startswith("agency:"):
            message = _("still with %(holder)s, not issued to you") % {"holder": segment.holder}
        elif segment.holder_key.startswith("vaccinator:") and segment.holder_key != own:
            message = _("issued to another vaccinator")
        elif segment.holder_key.startswith("premises:"):
            message = _("issued to another farm")
        elif segment.state in Tag.State.values:
            message = _("already used")
        else:
            message = _("not in your stock")
        problems.append(_problem(segment.first, segment.last, message))
    return sorted(problems, key=lambda p: p["text"])


def wrong_species(numbers: RangeSet, species: str) -> RangeSet:
    """Numbers whose species digit is not ``species`` (a range shares its first number's)."""
    return RangeSet.of(
        (a, b) for a, b in numbers if species_of(a, species=species_digits()) != species
    )


def tags_apply(
    *,
    actor: User,
    premises: Premises,
    species: str,
    numbers: RangeSet,
    details: AnimalDetails | None = None,
    applied_on: date | None = None,
    applied_at: datetime | None = None,
) -> list[Animal]:
    """Put unused tags on new animals at ``premises``, left ear first, from the vaccinator's
    own stock or from the tags issued to the farm (a scale farm tagging its own animals).
    Runs inside the caller's transaction (the immunization record) or its own."""
    with transaction.atomic():
        require_vaccinator(actor, premises)
        applied_at = applied_at or timezone.now()
        applied_on = applied_on or timezone.localtime(applied_at).date()
        details = details or AnimalDetails()
        if not numbers:
            return []
        _refuse_used(numbers)
        if wrong_species(numbers, species):
            # The session's review refuses them first (``application_problems``).
            raise ValueError(f"tags of another species than {species} reached tags_apply")
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
                    applied_at=applied_at,
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

    used = used_tags(numbers)
    if used:
        found = RangeSet.from_numbers(t.number for t in used)
        raise BusinessError(
            _("A tag is applied only once; these were used already: %(ranges)s.")
            % {"ranges": format_ranges(found)},
            code=TAGS_ALREADY_USED,
            items=range_items(found, _("used already")),
        )


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
