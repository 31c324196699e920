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
from earmark.core.errors import BusinessError
from earmark.core.species import species_digits, species_label
from earmark.eartags.codes import format_range, species_of
from earmark.eartags.errors import TAGS_ALREADY_USED
from earmark.eartags.holders import Holder
from earmark.eartags.messages import format_ranges, range_items
from earmark.eartags.models import Holding, Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.checks import tags_check, used_tags
from earmark.eartags.services.usage import events_record, take_unused
from earmark.farms.models import Premises, Stock
from earmark.farms.services.stock import premises_lock
from earmark.immunization.errors import NOT_A_FARM, NOT_APPROVED, OVER_STOCK
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
