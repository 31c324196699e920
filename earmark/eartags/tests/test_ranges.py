from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from earmark.eartags.ranges import RangeSet, overlaps

# Small numbers make overlaps and adjacency frequent; a large base checks 64-bit arithmetic.
BASE = 122_010_200_000_000
numbers = st.integers(min_value=BASE, max_value=BASE + 300)
ranges = st.tuples(numbers, st.integers(min_value=0, max_value=40)).map(
    lambda t: (t[0], t[0] + t[1])
)
range_lists = st.lists(ranges, max_size=8)


def as_set(ranges: list[tuple[int, int]]) -> set[int]:
    return {n for first, last in ranges for n in range(first, last + 1)}


@given(range_lists)
def test_normalised_ranges_are_sorted_disjoint_and_not_touching(
    items: list[tuple[int, int]],
) -> None:
    result = RangeSet.of(items)
    for (_, a_last), (b_first, _) in zip(result.ranges, result.ranges[1:], strict=False):
        assert a_last + 1 < b_first
    assert set(result.expand()) == as_set(items)
    assert result.count == len(as_set(items))


@given(range_lists, range_lists)
def test_union_intersection_and_difference_agree_with_sets(
    a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> None:
    left, right = RangeSet.of(a), RangeSet.of(b)
    assert set(left.union(right).expand()) == as_set(a) | as_set(b)
    assert set(left.intersection(right).expand()) == as_set(a) & as_set(b)
    assert set(left.difference(right).expand()) == as_set(a) - as_set(b)
    assert left.contains(right) == (as_set(b) <= as_set(a))


@given(range_lists, numbers)
def test_membership_agrees_with_sets(a: list[tuple[int, int]], number: int) -> None:
    assert (number in RangeSet.of(a)) == (number in as_set(a))


@given(range_lists, st.integers(min_value=0, max_value=200))
def test_take_first_takes_the_lowest_numbers(a: list[tuple[int, int]], count: int) -> None:
    taken = RangeSet.of(a).take_first(count)
    assert list(taken.expand()) == sorted(as_set(a))[:count]


@given(st.lists(numbers, max_size=60))
def test_numbers_compress_into_ranges_and_expand_back(items: list[int]) -> None:
    compressed = RangeSet.from_numbers(items)
    assert list(compressed.expand()) == sorted(set(items))
    assert len(compressed.ranges) <= len(set(items))


@given(range_lists)
def test_overlaps_finds_exactly_the_pairs_that_share_numbers(items: list[tuple[int, int]]) -> None:
    found = overlaps(items)
    any_shared = any(as_set([x]) & as_set([y]) for i, x in enumerate(items) for y in items[i + 1 :])
    assert bool(found) == any_shared
    for x, y in found:
        assert as_set([x]) & as_set([y])


def test_64_bit_numbers_stay_exact() -> None:
    top = 2**63 - 1
    assert RangeSet.of([(top - 5, top)]).count == 6
    assert RangeSet.of([(399_999_999_999_999, 399_999_999_999_999)]).count == 1
