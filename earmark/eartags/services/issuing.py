"""Moving unused tags between holders: first issue, second issue, return and void.

Each move is a numbered document. The holder's rows are locked first and the request is checked
against them, so that two moves of the same numbers at the same moment leave one winner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Agency, Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import INVALID_INPUT, NOTHING_GIVEN, BusinessError, PermissionDenied
from earmark.core.preview import dry_run
from earmark.core.sequences import sequence_take
from earmark.core.species import species_known, species_refusal
from earmark.eartags import spans
from earmark.eartags.codes import format_tag
from earmark.eartags.errors import RETURN_REFUSED, TAGS_NOT_HELD, WRONG_RECIPIENT
from earmark.eartags.holders import Holder
from earmark.eartags.messages import format_ranges, range_items, read_numbers
from earmark.eartags.models import Holding, Issue, IssueLine, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.selectors.inventory import issue_holders
from earmark.eartags.services.repeats import refuse_repeated_count
from earmark.eartags.services.usage import piece, split_held, tag_events_save
from earmark.regions.gate import require_enabled

_ISSUES = (Issue.Kind.FIRST, Issue.Kind.SECOND)
NUMBER_PREFIX = {
    Issue.Kind.FIRST: "FA",
    Issue.Kind.SECOND: "FB",
    Issue.Kind.RETURN: "TH",
    Issue.Kind.VOID: "ZF",
}


@dataclass(frozen=True)
class Selection:
    """Which tags: typed numbers and ranges, whole boxes or packs, or the lowest ``count``."""

    ranges: str = ""
    boxes: list[tuple[str, str]] = field(default_factory=list)
    count: int = 0


def tags_issue(
    *, actor: User, target: Holder, species: str, selection: Selection, note: str = ""
) -> Issue:
    """First issue (county → township station) or second issue (station → farm or
    vaccinator), from the actor's own agency."""
    source = _own_agency(actor)
    if source.level == Agency.Level.COUNTY:
        require_role(actor, Role.COUNTY_OFFICER)
        kind = Issue.Kind.FIRST
        if target.agency is None or target.agency.level != Agency.Level.TOWNSHIP:
            raise BusinessError(
                _("A county issues tags to its township stations."), code=WRONG_RECIPIENT
            )
    elif source.level == Agency.Level.TOWNSHIP:
        require_role(actor, Role.TOWNSHIP_OFFICER)
        kind = Issue.Kind.SECOND
        _check_second_issue_target(source, target)
    else:
        raise PermissionDenied(_("Tags are issued by county agencies and township stations."))
    require_region(actor, target.region_code)
    # The system issue of tags is one of the new functions the province switches on per county.
    require_enabled(source.region_id)
    return _transfer(
        actor=actor,
        kind=kind,
        source=Holder(agency=source),
        target=target,
        species=species,
        selection=selection,
        note=note,
    )


def tags_issue_preview(**arguments: Any) -> dict[str, Any]:
    """What ``tags_issue`` with the same arguments would hand over (or its refusal): the issue
    is made and rolled back."""

    def run() -> dict[str, Any]:
        issue = tags_issue(**arguments)
        return {
            "count": issue.count,
            "to_holder": issue_holders(issue)[1].label,
            "lines": [
                {
                    "first": format_tag(line.first),
                    "last": format_tag(line.last),
                    "count": line.count,
                }
                for line in issue.lines.all()
            ],
        }

    return dry_run(run)


def _check_second_issue_target(station: Agency, target: Holder) -> None:
    if target.premises is not None:
        if target.premises.township_id != station.region_id:
            raise BusinessError(
                _("%(name)s is not in this township.") % {"name": target.premises.name},
                code=WRONG_RECIPIENT,
            )
        if not target.premises.keeps_animals:
            raise BusinessError(_("Only farms and households receive tags."), code=WRONG_RECIPIENT)
    elif target.vaccinator is not None:
        if not target.vaccinator.is_active or target.county_code != county_of(station.region_id):
            raise BusinessError(
                _("The vaccinator does not work in this county."), code=WRONG_RECIPIENT
            )
    else:
        raise BusinessError(
            _("A township station issues tags to farms and vaccinators."), code=WRONG_RECIPIENT
        )


def tags_return(
    *, actor: User, source: Holder, species: str, selection: Selection, note: str = ""
) -> Issue:
    """Unused tags go back up: farm or vaccinator → its township station → county agency."""
    _require_may_act_for(actor, source)
    target = _parent_of(source, species, selection)
    return _transfer(
        actor=actor,
        kind=Issue.Kind.RETURN,
        source=source,
        target=target,
        species=species,
        selection=selection,
        note=note,
    )


def tags_void(
    *, actor: User, source: Holder, species: str, selection: Selection, note: str = ""
) -> Issue:
    """Damaged unused tags are voided and handed to the county, which destroys them later."""
    _require_may_act_for(actor, source)
    if not note.strip():
        raise BusinessError(
            _("Say why the tags are voided."),
            code=INVALID_INPUT,
            fields={"note": _("Say why the tags are voided.")},
        )
    county = Agency.objects.get(region_id=source.county_code)
    return _transfer(
        actor=actor,
        kind=Issue.Kind.VOID,
        source=source,
        target=Holder(agency=county),
        species=species,
        selection=selection,
        note=note,
        state_after=Holding.State.VOIDED,
    )


def _own_agency(actor: User) -> Agency:
    if actor.agency is None:
        raise PermissionDenied(_("Your account is not attached to an agency."))
    return actor.agency


def _require_may_act_for(actor: User, holder: Holder) -> None:
    """The vaccinator in person, or the officers of the holder's jurisdiction (its own
    station or county), record returns and voids of its tags."""
    if holder.vaccinator is not None and holder.vaccinator.pk == actor.pk:
        return
    require_role(actor, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER)
    require_region(actor, holder.region_code)


def _parent_of(source: Holder, species: str, selection: Selection) -> Holder:
    if source.agency is not None:
        if source.agency.level != Agency.Level.TOWNSHIP:
            raise BusinessError(
                _("A county agency has no one to return tags to."), code=RETURN_REFUSED
            )
        return Holder(agency=Agency.objects.get(region_id=source.county_code))
    if source.premises is not None:
        return Holder(agency=Agency.objects.get(region_id=source.premises.township_id))
    townships = set(
        Holding.objects.filter(
            vaccinator=source.vaccinator, species=species, state=Holding.State.AVAILABLE
        ).values_list("township_code", flat=True)
    )
    if len(townships) != 1:
        raise BusinessError(
            _("The vaccinator holds tags of several townships; return them to each station."),
            code=RETURN_REFUSED,
        )
    return Holder(agency=Agency.objects.get(region_id=townships.pop()))


@transaction.atomic
def _transfer(
    *,
    actor: User,
    kind: str,
    source: Holder,
    target: Holder,
    species: str,
    selection: Selection,
    note: str,
    state_after: str = Holding.State.AVAILABLE,
) -> Issue:
    if not species_known(species):
        raise BusinessError(
            species_refusal(),
            code=INVALID_INPUT,
            fields={"species": species_refusal()},
        )
    if source.key == target.key:
        raise BusinessError(_("The tags are already there."), code=WRONG_RECIPIENT)
    usable = Holding.objects.select_for_update().filter(
        **source.lookup(), species=species, state=Holding.State.AVAILABLE
    )
    by_count = bool(selection.count and not (selection.ranges or selection.boxes))

    def refuse_repeat() -> None:
        if by_count and kind in _ISSUES:
            refuse_repeated_count(
                kind=kind, source=source, target=target, species=species, count=selection.count
            )

    try:
        chosen, held = _resolve(selection, usable)
    except BusinessError:
        # Waiting on the rows an identical issue was taking, this one finds them gone: say so.
        refuse_repeat()
        raise
    refuse_repeat()
    available = RangeSet.of((h.first, h.last) for h in held)
    missing = chosen.difference(available)
    if missing:
        raise BusinessError(
            _("%(holder)s does not hold %(count)d of these tags: %(ranges)s.")
            % {"holder": source.label, "count": missing.count, "ranges": format_ranges(missing)},
            code=TAGS_NOT_HELD,
            items=range_items(missing, _("not held by %(holder)s") % {"holder": source.label}),
        )
    county_code = source.county_code or target.county_code
    township_code = _township_for(kind, target, held)
    year = timezone.localdate().year
    sequence = sequence_take(f"issue:{kind}:{county_code}:{year}")
    issue = Issue.objects.create(
        number=f"{NUMBER_PREFIX[Issue.Kind(kind)]}{county_code}{year}{sequence:05d}",
        kind=kind,
        species=species,
        count=chosen.count,
        **{f"from_{k}": v for k, v in source.fields().items()},
        **{f"to_{k}": v for k, v in target.fields().items()},
        county_code=county_code,
        township_code=township_code or "",
        note=note.strip()[:200],
        created_by=actor,
    )
    _move(held, chosen, target=target, issue=issue, township_code=township_code, state=state_after)
    IssueLine.objects.bulk_create(IssueLine(issue=issue, first=a, last=b) for a, b in chosen)
    event = {
        Issue.Kind.FIRST: TagEvent.Kind.ISSUED,
        Issue.Kind.SECOND: TagEvent.Kind.ISSUED,
        Issue.Kind.RETURN: TagEvent.Kind.RETURNED,
        Issue.Kind.VOID: TagEvent.Kind.VOIDED,
    }[Issue.Kind(kind)]
    tag_events_save(
        TagEvent(
            first=a,
            last=b,
            kind=event,
            species=species,
            county_code=county_code,
            township_code=township_code or "",
            holder=target.label,
            document_type="issue",
            document_id=issue.number,
            actor=actor,
        )
        for a, b in chosen
    )
    audit_record(
        actor=actor,
        action=f"tags.{kind}",
        obj=issue,
        region_code=township_code or county_code,
        details={
            "number": issue.number,
            "from": source.key,
            "to": target.key,
            "count": issue.count,
            "ranges": len(chosen.ranges),
        },
    )
    return issue


def _resolve(selection: Selection, usable: QuerySet[Holding]) -> tuple[RangeSet, list[Holding]]:
    """The numbers chosen, and the holder's rows (locked) that hold them: only the rows the
    selection touches are read, never all the holder's rows."""
    chosen = RangeSet()
    rows: dict[int, Holding] = {}
    if selection.ranges.strip():
        chosen = chosen.union(read_numbers(selection.ranges))
        rows.update((h.pk, h) for h in spans.overlapping(usable, chosen.ranges))
    for box, pack in selection.boxes:
        matching = list(usable.filter(box=box, **({"pack": pack} if pack else {})))
        if not matching:
            raise BusinessError(
                _("No available tags in box %(box)s %(pack)s.") % {"box": box, "pack": pack},
                code=TAGS_NOT_HELD,
            )
        rows.update((h.pk, h) for h in matching)
        chosen = chosen.union(RangeSet.of((h.first, h.last) for h in matching))
    if selection.count:
        if selection.count < 0:
            raise BusinessError(_("The count must be positive."), code=INVALID_INPUT)
        lowest = _lowest(usable, chosen, selection.count)
        rows.update((h.pk, h) for h in lowest)
        free = RangeSet.of((h.first, h.last) for h in lowest).difference(chosen)
        if free.count < selection.count:
            total = RangeSet.of(usable.values_list("first", "last")).difference(chosen).count
            raise BusinessError(
                _("Only %(available)d tags are available, not %(count)d.")
                % {"available": total, "count": selection.count},
                code=TAGS_NOT_HELD,
            )
        chosen = chosen.union(free.take_first(selection.count))
    if not chosen:
        raise BusinessError(_("Choose the tags: numbers, boxes or a count."), code=NOTHING_GIVEN)
    return chosen, sorted(rows.values(), key=lambda h: h.first)


def _lowest(usable: QuerySet[Holding], chosen: RangeSet, count: int) -> list[Holding]:
    """The holder's lowest rows until they hold ``count`` numbers beyond ``chosen``: read in
    pages that double (8 rows, 16, …), so that a small count reads a few rows and a large
    one a few pages."""
    rows: list[Holding] = []
    free = 0
    size = 8
    while free < count:
        page = usable.order_by("first")
        if rows:
            page = page.filter(first__gt=rows[-1].first)
        found = list(page[:size])
        rows.extend(found)
        free = RangeSet.of((h.first, h.last) for h in rows).difference(chosen).count
        if len(found) < size:
            break
        size = min(size * 2, 1000)
    return rows


def _township_for(kind: str, target: Holder, held: list[Holding]) -> str | None:
    if kind == Issue.Kind.FIRST:
        assert target.agency is not None
        return target.agency.region_id
    townships = {h.township_code for h in held if h.township_code}
    return townships.pop() if len(townships) == 1 else None


def _move(
    held: list[Holding],
    chosen: RangeSet,
    *,
    target: Holder,
    issue: Issue,
    township_code: str | None,
    state: str,
) -> None:
    """Split the locked rows: the chosen numbers go to the target, the rest stay."""
    touched, pieces, moving = split_held(held, chosen)
    for row, first, last in moving:
        moved = piece(row, first, last, holder=target, acquired_by=issue)
        moved.state = state
        if township_code is not None and issue.kind == Issue.Kind.FIRST:
            moved.township_code = township_code
        elif issue.kind == Issue.Kind.RETURN and _is_county(target):
            # Back at the county, the tags may go to any of its townships again.
            moved.township_code = ""
        pieces.append(moved)
    # Delete before inserting: the pieces reuse the numbers of the rows they replace.
    Holding.objects.filter(pk__in=touched).delete()
    Holding.objects.bulk_create(pieces, batch_size=1000)


def _is_county(holder: Holder) -> bool:
    return holder.agency is not None and holder.agency.level == Agency.Level.COUNTY
