"""Sets of tag numbers kept as sorted, disjoint, inclusive ranges of 64-bit integers.

Pure Python, no Django: inventory is ranges, never one row per unused tag, and every
operation here works on ranges without expanding them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_NUMBER = 2**63 - 1

Range = tuple[int, int]


@dataclass(frozen=True)
class RangeSet:
    """An immutable set of integers held as normalised ranges (sorted, disjoint, not touching)."""

    ranges: tuple[Range, ...] = ()

    @classmethod
    def of(cls, ranges: Iterable[Range]) -> RangeSet:
        return cls(normalise(ranges))

    @classmethod
    def from_numbers(cls, numbers: Iterable[int]) -> RangeSet:
        """Compress a list of numbers (any order, duplicates allowed) into ranges."""
        return cls.of((n, n) for n in numbers)

    def __iter__(self) -> Iterator[Range]:
        return iter(self.ranges)

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __len__(self) -> int:
        return self.count

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, int):
            return False
        low, high = 0, len(self.ranges)
        while low < high:
            middle = (low + high) // 2
            first, last = self.ranges[middle]
            if number < first:
                high = middle
            elif number > last:
                low = middle + 1
            else:
                return True
        return False

    @property
    def count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    def union(self, other: RangeSet) -> RangeSet:
        return RangeSet.of((*self.ranges, *other.ranges))

    def intersection(self, other: RangeSet) -> RangeSet:
        result: list[Range] = []
        i = j = 0
        while i < len(self.ranges) and j < len(other.ranges):
            a_first, a_last = self.ranges[i]
            b_first, b_last = other.ranges[j]
            first, last = max(a_first, b_first), min(a_last, b_last)
            if first <= last:
                result.append((first, last))
            if a_last < b_last:
                i += 1
            else:
                j += 1
        return RangeSet(tuple(result))

    def difference(self, other: RangeSet) -> RangeSet:
        result: list[Range] = []
        j = 0
        for first, last in self.ranges:
            current = first
            while j < len(other.ranges) and other.ranges[j][1] < current:
                j += 1
            k = j
            while k < len(other.ranges) and other.ranges[k][0] <= last:
                cut_first, cut_last = other.ranges[k]
                if cut_first > current:
                    result.append((current, cut_first - 1))
                current = max(current, cut_last + 1)
                if current > last:
                    break
                k += 1
            if current <= last:
                result.append((current, last))
        return RangeSet(tuple(result))

    def contains(self, other: RangeSet) -> bool:
        """Whether every number of ``other`` is in this set."""
        return not other.difference(self)

    def take_first(self, count: int) -> RangeSet:
        """The ``count`` lowest numbers (all of them if there are fewer)."""
        taken: list[Range] = []
        remaining = count
        for first, last in self.ranges:
            if remaining <= 0:
                break
            size = last - first + 1
            if size <= remaining:
                taken.append((first, last))
                remaining -= size
            else:
                taken.append((first, first + remaining - 1))
                remaining = 0
        return RangeSet(tuple(taken))

    def as_lists(self) -> list[list[int]]:
        """``[[first, last], ...]``, as stored in JSON columns."""
        return [[first, last] for first, last in self.ranges]

    def expand(self) -> Iterator[int]:
        """Every number, in order. Use only on small sets."""
        for first, last in self.ranges:
            yield from range(first, last + 1)


def normalise(ranges: Iterable[Range]) -> tuple[Range, ...]:
    """Sort ranges and merge the overlapping and adjacent ones."""
    ordered = sorted((int(first), int(last)) for first, last in ranges)
    merged: list[list[int]] = []
    for first, last in ordered:
        if first > last:
            raise ValueError(f"range {first}-{last} runs backwards")
        if first < 0 or last > MAX_NUMBER:
            raise ValueError(f"range {first}-{last} is outside 64-bit numbers")
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return tuple((first, last) for first, last in merged)


def overlaps(ranges: Iterable[Range]) -> list[tuple[Range, Range]]:
    """Pairs of ranges that share at least one number (ranges given in any order)."""
    ordered = sorted(ranges)
    found = []
    widest: Range | None = None
    for current in ordered:
        if widest is not None and current[0] <= widest[1]:
            found.append((widest, current))
        if widest is None or current[1] > widest[1]:
            widest = current
    return found
