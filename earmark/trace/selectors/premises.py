"""Tracing from a premises over a time window: backward (where its animals came from) and
forward (every certificate, destination and onward movement), over several hops, with animal
counts per link. Movements are certificates received at a destination premises."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from earmark.farms.models import Premises
from earmark.movements.models import Receipt


@dataclass
class Link:
    origin: str
    destination: str
    animals: int = 0
    certificates: list[str] = field(default_factory=list)
    first_at: datetime | None = None
    last_at: datetime | None = None


@dataclass
class Node:
    code: str
    name: str
    kind: str
    county_code: str
    hop: int


@dataclass
class PremisesTrace:
    start: str
    direction: str
    nodes: dict[str, Node]
    links: dict[tuple[str, str], Link]

    @property
    def animals(self) -> int:
        return sum(link.animals for link in self.links.values())


@dataclass(frozen=True)
class _Place:
    pk: int
    code: str
    name: str
    kind: str
    county_code: str


# What a hop reads of each receipt: plain values, no model rows.
_PLACE = ("id", "code", "name", "kind", "county_code")
_FIELDS = (
    "certificate__number",
    "certificate__issued_at",
    "received",
    *(f"certificate__premises__{f}" for f in _PLACE),
    *(f"premises__{f}" for f in _PLACE),
)


def premises_trace(
    *, premises: Premises, direction: str, since: datetime, until: datetime, hops: int
) -> PremisesTrace:
    """Breadth-first over received certificates, one query per hop and direction (its size
    independent of the frontier's: premises are listed, not OR-ed). Onward
    movements count only after the animals arrived (forward), earlier ones only before they
    left (backward)."""
    trace = PremisesTrace(
        start=premises.code,
        direction=direction,
        nodes={
            premises.code: Node(
                premises.code, premises.name, premises.kind, premises.county_code, 0
            )
        },
        links={},
    )
    for way in ("forward", "backward") if direction == "both" else (direction,):
        frontier = {premises.pk: (since, until)}
        for hop in range(1, hops + 1):
            if not frontier:
                break
            # One set-based query per hop: the frontier's receipts within the widest of its
            # windows, each then held to its own premises' window.
            side = "certificate__premises_id" if way == "forward" else "premises_id"
            receipts = Receipt.objects.filter(
                **{f"{side}__in": list(frontier)},
                certificate__issued_at__gte=min(start for start, _ in frontier.values()),
                certificate__issued_at__lte=max(end for _, end in frontier.values()),
            ).values_list(*_FIELDS)
            following: dict[int, tuple[datetime, datetime]] = {}
            for number, moved_at, received, *places in receipts:
                origin, destination = _Place(*places[:5]), _Place(*places[5:])
                start, end = frontier[origin.pk if way == "forward" else destination.pk]
                if not start <= moved_at <= end:
                    continue
                link = trace.links.setdefault(
                    (origin.code, destination.code), Link(origin.code, destination.code)
                )
                if number in link.certificates:
                    continue
                link.animals += sum(b - a + 1 for a, b in received)
                link.certificates.append(number)
                link.first_at = min(filter(None, [link.first_at, moved_at]))
                link.last_at = max(filter(None, [link.last_at, moved_at]))
                other = destination if way == "forward" else origin
                if other.code not in trace.nodes:
                    trace.nodes[other.code] = Node(
                        other.code,
                        other.name,
                        other.kind,
                        other.county_code,
                        hop if way == "forward" else -hop,
                    )
                window = (moved_at, until) if way == "forward" else (since, moved_at)
                current = following.get(other.pk)
                following[other.pk] = (
                    (min(current[0], window[0]), max(current[1], window[1])) if current else window
                )
            frontier = following
    return trace


def links_by_hop(trace: PremisesTrace) -> dict[int, list[Node]]:
    columns: dict[int, list[Node]] = defaultdict(list)
    for node in trace.nodes.values():
        columns[node.hop].append(node)
    return dict(sorted(columns.items()))
