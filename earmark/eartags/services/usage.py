"""Tags put to use: taking unused numbers out of a holder's stock to apply them, and moving used
tags through their life (DESIGN §6). Other modules (immunization, quarantine, slaughter) call
these inside their own transactions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.audit.outbox import outbox_emit_many
from earmark.core.errors import BusinessError, item
from earmark.eartags import lifecycle
from earmark.eartags.codes import format_tag
from earmark.eartags.errors import TAGS_NOT_HELD, TAGS_UNUSABLE
from earmark.eartags.holders import Holder
from earmark.eartags.messages import format_ranges, range_items
from earmark.eartags.models import Holding, Issue, Tag, TagEvent
from earmark.eartags.ranges import RangeSet


@dataclass(frozen=True)
class Taken:
    """Unused numbers taken from a holding, with where they came from."""

    first: int
    last: int
    species: str
    county_code: str
    township_code: str
    registered_range_id: int


def take_unused(*, source: Holder, species: str, numbers: RangeSet) -> list[Taken]:
    """Remove ``numbers`` from ``source``'s available tags, or refuse naming those it lacks.

    The holder's rows are locked first, so that two people applying the same tag at the same
    moment leave one winner.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_unused runs inside the caller's transaction")
    held = list(
        Holding.objects.select_for_update()
        .filter(**source.lookup(), species=species, state=Holding.State.AVAILABLE)
        .order_by("first")
    )
    available = RangeSet.of((h.first, h.last) for h in held)
    missing = numbers.difference(available)
    if missing:
        raise BusinessError(
            _("%(holder)s does not hold %(count)d of these tags: %(ranges)s.")
            % {"holder": source.label, "count": missing.count, "ranges": format_ranges(missing)},
            code=TAGS_NOT_HELD,
            items=range_items(missing, _("not held by %(holder)s") % {"holder": source.label}),
        )
    touched, kept, using = split_held(held, numbers)
    taken = [
        Taken(a, b, row.species, row.county_code, row.township_code, row.registered_range_id)
        for row, a, b in using
    ]
    Holding.objects.filter(pk__in=touched).delete()
    Holding.objects.bulk_create(kept)
    return taken


def split_held(
    held: list[Holding], chosen: RangeSet
) -> tuple[list[int], list[Holding], list[tuple[Holding, int, int]]]:
    """Cut locked holding rows by ``chosen``: the ids of the rows to replace, the pieces that
    stay with their holder, and the (row, first, last) pieces that are chosen."""
    touched: list[int] = []
    kept: list[Holding] = []
    chosen_pieces: list[tuple[Holding, int, int]] = []
    for row in held:
        own = RangeSet(((row.first, row.last),))
        using = own.intersection(chosen)
        if not using:
            continue
        touched.append(row.pk)
        kept.extend(piece(row, a, b) for a, b in own.difference(chosen))
        chosen_pieces.extend((row, a, b) for a, b in using)
    return touched, kept, chosen_pieces


def piece(
    row: Holding,
    first: int,
    last: int,
    *,
    holder: Holder | None = None,
    acquired_by: Issue | None = None,
) -> Holding:
    """A new holding row for part of ``row``, with ``holder`` (None: the row's own) and
    ``acquired_by`` (None: the row's document). Copies keys, never loads the related rows."""
    owner = (
        {
            "agency_id": row.agency_id,
            "premises_id": row.premises_id,
            "vaccinator_id": row.vaccinator_id,
        }
        if holder is None
        else holder.fields()
    )
    return Holding(
        first=first,
        last=last,
        species=row.species,
        state=row.state,
        registered_range_id=row.registered_range_id,
        box=row.box,
        pack=row.pack,
        county_code=row.county_code,
        township_code=row.township_code,
        acquired_by_id=acquired_by.pk if acquired_by is not None else row.acquired_by_id,
        **owner,
    )


def tags_transition(
    *,
    numbers: list[int],
    event: str,
    actor: User | None,
    holder: str = "",
    document_type: str = "",
    document_id: str = "",
    premises_id: int | None = None,
) -> list[Tag]:
    """Move used tags through ``event`` (certify, arrive, recover, cancel, lose, …); refuses
    the whole request, naming each tag, if any step is not allowed."""
    tags = list(Tag.objects.select_for_update().filter(number__in=numbers).order_by("number"))
    found = {t.number for t in tags}
    problems = [
        _("%(tag)s has never been applied") % {"tag": format_tag(n)}
        for n in numbers
        if n not in found
    ]
    items = [item(format_tag(n), _("never applied")) for n in numbers if n not in found]
    for tag in tags:
        try:
            tag.state = lifecycle.next_state(tag.state, event)
        except lifecycle.TransitionError:
            state = Tag.State(tag.state).label
            problems.append(
                _("%(tag)s is %(state)s") % {"tag": format_tag(tag.number), "state": state}
            )
            items.append(item(format_tag(tag.number), state))
    if problems:
        raise BusinessError(
            _("These tags cannot be used this way: %(problems)s.")
            % {"problems": "；".join(problems[:20])},
            code=TAGS_UNUSABLE,
            items=items,
        )
    _states_save(tags, premises_id)
    kind = {
        "certify": TagEvent.Kind.CERTIFIED,
        "revoke": TagEvent.Kind.APPLIED,
        "arrive": TagEvent.Kind.ARRIVED,
        "recover": TagEvent.Kind.RECOVERED,
        "cancel": TagEvent.Kind.CANCELLED,
        "lose": TagEvent.Kind.LOST,
        "destroy": TagEvent.Kind.DESTROYED,
    }[event]
    events_record(
        numbers=RangeSet.from_numbers(numbers),
        tags={t.number: t for t in tags},
        kind=kind,
        actor=actor,
        holder=holder,
        document_type=document_type,
        document_id=document_id,
    )
    return tags


def _states_save(tags: list[Tag], premises_id: int | None) -> None:
    """Write the new states: one UPDATE per new state (usually one), over the tags' ranges."""
    changes: dict[str, Any] = {"updated_at": timezone.now()}
    if premises_id is not None:
        changes["premises_id"] = premises_id
    by_state: dict[str, list[int]] = {}
    for tag in tags:
        by_state.setdefault(tag.state, []).append(tag.number)
        if premises_id is not None:
            tag.premises_id = premises_id
    for state, numbers in by_state.items():
        ranges = RangeSet.from_numbers(numbers).ranges
        for start in range(0, len(ranges), 200):
            condition = reduce(
                or_, (Q(number__gte=a, number__lte=b) for a, b in ranges[start : start + 200])
            )
            Tag.objects.filter(condition).order_by().update(state=state, **changes)


def events_record(
    *,
    numbers: RangeSet,
    tags: dict[int, Tag],
    kind: str,
    actor: User | None,
    holder: str = "",
    document_type: str = "",
    document_id: str = "",
) -> None:
    """One event row per range of consecutive numbers sharing species and township."""
    rows: list[TagEvent] = []
    for first, last in numbers:
        start = first
        for number in range(first, last + 1):
            tag = tags[number]
            following = tags.get(number + 1)
            if (
                number == last
                or following is None
                or (following.species, following.township_code) != (tag.species, tag.township_code)
            ):
                rows.append(
                    TagEvent(
                        first=start,
                        last=number,
                        kind=kind,
                        species=tag.species,
                        county_code=tag.county_code,
                        township_code=tag.township_code,
                        holder=holder[:120],
                        document_type=document_type,
                        document_id=document_id,
                        actor=actor,
                    )
                )
                start = number + 1
    tag_events_save(rows)


def tag_events_save(rows: Iterable[TagEvent]) -> list[TagEvent]:
    """Save tag events and queue each for the national platform, in the caller's
    transaction. Every tag event of the system goes through here."""

    saved = TagEvent.objects.bulk_create(list(rows), batch_size=1000)
    outbox_emit_many(
        [
            (
                f"tags.{event.kind}",
                # A county's tags keep their order: applied before cancelled, and so on.
                f"tags:{str(event.first)[1:7]}",
                {
                    "kind": event.kind,
                    "species": event.species,
                    "first": f"{event.first:015d}",
                    "last": f"{event.last:015d}",
                    "count": event.last - event.first + 1,
                    "county_code": event.county_code,
                    "township_code": event.township_code,
                    "holder": event.holder,
                    "document_type": event.document_type,
                    "document_id": event.document_id,
                },
            )
            for event in saved
        ]
    )
    return saved
