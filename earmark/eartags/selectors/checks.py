"""The legitimacy check: for numbers and a township (optionally a holder), whether each range
is registered, where, whether it was issued to that township and holder, and its state.
Declarations call it; the result is grouped by range so that problems read as ranges."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region
from earmark.accounts.models import User
from earmark.core.codes import county_of
from earmark.eartags import spans
from earmark.eartags.codes import format_range
from earmark.eartags.holders import Holder, holder_of
from earmark.eartags.models import Holding, RegisteredRange, Tag
from earmark.eartags.ranges import RangeSet
from earmark.regions.models import Region

_CHUNK = 200


@dataclass
class Segment:
    first: int
    last: int
    registered: bool
    county_code: str = ""
    township_code: str = ""
    holder: str = ""
    holder_key: str = ""
    state: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def text(self) -> str:
        return format_range(self.first, self.last)

    @property
    def state_label(self) -> str:
        """The state in the reader's language (``state`` stays the code the API answers)."""
        for states in (Holding.State, Tag.State):
            if self.state in states.values:
                return str(states(self.state).label)
        return {"unregistered": _("Never registered"), "unknown": _("Unknown")}.get(
            self.state, self.state
        )

    def same_as(self, other: Segment) -> bool:
        return (
            self.registered,
            self.county_code,
            self.township_code,
            self.holder_key,
            self.state,
            self.problems,
        ) == (
            other.registered,
            other.county_code,
            other.township_code,
            other.holder_key,
            other.state,
            other.problems,
        )


@dataclass
class CheckReport:
    segments: list[Segment]

    @property
    def ok(self) -> bool:
        return all(not s.problems for s in self.segments)

    @property
    def problem_count(self) -> int:
        return sum(s.count for s in self.segments if s.problems)


def rows_overlapping(model: type, numbers: RangeSet, *related: str) -> list:  # type: ignore[type-arg]
    """Rows of a range table that share a number with ``numbers``, sorted by first number."""
    queryset = model.objects.all()  # type: ignore[attr-defined]
    if related:
        # (``select_related()`` with no names would follow every foreign key.)
        queryset = queryset.select_related(*related)
    return spans.overlapping(queryset, numbers)


def used_tags(numbers: RangeSet) -> list[Tag]:
    """Applied tags among ``numbers``, sorted by number."""
    return rows_among(numbers, Tag.objects.all())


def rows_among(numbers: RangeSet, rows: QuerySet[Any], column: str = "number") -> list[Any]:
    """The rows of ``rows`` whose tag number (``column``, a key) is among ``numbers``, sorted:
    single numbers by key, ranges by key range, a few hundred to a query (unordered: an ORDER
    BY makes SQLite walk the whole key)."""
    singles = [first for first, last in numbers if first == last]
    runs = [(first, last) for first, last in numbers if first != last]
    found: list[Any] = []
    for start in range(0, len(singles), 500):
        found.extend(rows.filter(spans.NumberIn(column, singles[start : start + 500])).order_by())
    for start in range(0, len(runs), _CHUNK):
        condition = reduce(
            or_,
            (
                Q(**{f"{column}__gte": a, f"{column}__lte": b})
                for a, b in runs[start : start + _CHUNK]
            ),
        )
        found.extend(rows.filter(condition).order_by())
    return sorted(found, key=lambda row: getattr(row, column))


def tags_check(*, numbers: RangeSet, township: str, holder: Holder | None = None) -> CheckReport:
    """Check ``numbers`` against the inventory of ``township`` (and of ``holder``): one sweep
    over the sorted numbers and the sorted rows they touch."""
    registered = rows_overlapping(RegisteredRange, numbers)
    holdings = rows_overlapping(Holding, numbers, "agency", "premises", "vaccinator__vaccinator")
    # What the judgement needs of each applied tag, read as plain rows.
    used = rows_among(
        numbers,
        Tag.objects.values_list(
            "number", "state", "township_code", "county_code", "origin_province", named=True
        ),
    )
    tags = {t.number: t for t in used}
    codes = {h.township_code for h in holdings} | {t.township_code for t in used}
    # The townships' names serve only to say where numbers of another township belong.
    names = _township_names(codes) if codes - {township, ""} else {}
    known = _Known(registered, holdings, tags, township, holder, names)
    pieces = [
        _judge(first, last, known) for first, last in _pieces(numbers, registered, holdings, used)
    ]
    return CheckReport(_merged(pieces))


def tags_check_visible(
    *, user: User, numbers: RangeSet, township: str, holder: Holder | None = None
) -> CheckReport:
    """The legitimacy check as a user may read it: facts about numbers of another jurisdiction
    (their county, township, holder, state) come back only as "not in your jurisdiction"."""
    report = tags_check(numbers=numbers, township=township, holder=holder)
    return CheckReport(_merged([_visible(user, s) for s in report.segments]))


def _visible(user: User, segment: Segment) -> Segment:
    if not segment.registered:
        # A number registered nowhere is no county's fact: the forgery must be seen.
        return segment
    places = (segment.township_code, segment.county_code)
    if any(code and can_read_region(user, code) for code in places):
        return segment
    # A user of a township still reads what its own county's store holds of these numbers (the
    # county issues them to it), never a neighbouring township's holder or state (#34).
    if not segment.township_code and segment.county_code == county_of(user.region_code or ""):
        return segment
    return Segment(
        segment.first,
        segment.last,
        registered=True,
        state="",
        problems=[_("not in your jurisdiction")],
    )


def _merged(pieces: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for piece in pieces:
        if merged and merged[-1].last + 1 == piece.first and merged[-1].same_as(piece):
            merged[-1].last = piece.last
        else:
            merged.append(piece)
    return merged


def _township_names(codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))


def _pieces(
    numbers: RangeSet, registered: list[RegisteredRange], holdings: list[Holding], used: list[Any]
) -> list[tuple[int, int]]:
    """Cut each range of ``numbers`` at every edge of a row or applied tag within it. Every
    list is sorted, so one pass over the edges serves all the ranges: linear in the numbers'
    ranges plus the rows (and a sort of the rows' edges)."""
    bounds = [(r.first, r.last) for r in registered] + [(h.first, h.last) for h in holdings]
    bounds += [(t.number, t.number) for t in used]
    edges = sorted({edge for first, last in bounds for edge in (first, last + 1)})
    pieces: list[tuple[int, int]] = []
    index = 0
    for first, last in numbers:
        while index < len(edges) and edges[index] <= first:
            index += 1
        start = first
        while index < len(edges) and edges[index] <= last:
            pieces.append((start, edges[index] - 1))
            start = edges[index]
            index += 1
        pieces.append((start, last))
    return pieces


def _find(rows: list, starts: list[int], number: int):  # type: ignore[no-untyped-def, type-arg]
    """The row (sorted by first, disjoint; ``starts`` their first numbers) that contains
    ``number``, if any."""
    index = bisect_right(starts, number) - 1
    if index >= 0 and rows[index].last >= number:
        return rows[index]
    return None


@dataclass
class _Known:
    """What is known of the numbers being checked, and the translated messages (looked up
    once per check, not once per range)."""

    registered: list[RegisteredRange]
    holdings: list[Holding]
    tags: dict[int, Any]
    township: str
    holder: Holder | None
    names: dict[str, str]
    text: dict[str, str] = field(default_factory=lambda: _messages())

    def __post_init__(self) -> None:
        self.registered_starts = [r.first for r in self.registered]
        self.holding_starts = [h.first for h in self.holdings]


def _messages() -> dict[str, str]:
    return {
        "forged": _("never registered: possibly a forged tag"),
        "voided": _("voided"),
        "unused": _("not applied to an animal yet"),
        "state": _("the tag is %(state)s"),
        "unknown": _("registered but neither held nor applied"),
        "unissued": _("not yet issued to any township"),
        "elsewhere": _("belongs to the inventory of %(township)s"),
        "holder": _("issued to another holder"),
    }


def _judge(first: int, last: int, known: _Known) -> Segment:
    say = known.text
    origin = _find(known.registered, known.registered_starts, first)
    tag = known.tags.get(first)
    if origin is None and tag is not None and tag.origin_province:
        # Registered by another province, received here under its certificate (#30): a tag of
        # this province from then on, judged as one.
        return _judge_applied(
            Segment(first, last, registered=True, county_code=tag.county_code), tag, known
        )
    if origin is None:
        return Segment(
            first,
            last,
            registered=False,
            state="unregistered",
            problems=[say["forged"]],
        )
    segment = Segment(first, last, registered=True, county_code=origin.county_code)
    holding = _find(known.holdings, known.holding_starts, first)
    if holding is not None:
        held_by = holder_of(holding)
        segment.township_code = holding.township_code
        segment.holder, segment.holder_key = held_by.label, held_by.key
        segment.state = holding.state
        if holding.state == Holding.State.VOIDED:
            segment.problems.append(say["voided"])
        else:
            segment.problems.append(say["unused"])
    elif tag is not None:
        return _judge_applied(segment, tag, known)
    else:
        segment.state = "unknown"
        segment.problems.append(say["unknown"])
    return _judge_place(segment, holding, known)


def _judge_applied(segment: Segment, tag: Any, known: _Known) -> Segment:
    segment.township_code = tag.township_code
    segment.state = tag.state
    if tag.state != Tag.State.APPLIED:
        segment.problems.append(known.text["state"] % {"state": Tag.State(tag.state).label})
    return _judge_place(segment, None, known)


def _judge_place(segment: Segment, holding: Holding | None, known: _Known) -> Segment:
    say = known.text
    if not segment.township_code:
        segment.problems.append(say["unissued"])
    elif segment.township_code != known.township:
        segment.problems.append(
            say["elsewhere"]
            % {"township": known.names.get(segment.township_code, segment.township_code)}
        )
    if known.holder is not None and holding is not None and segment.holder_key != known.holder.key:
        segment.problems.append(say["holder"])
    return segment
