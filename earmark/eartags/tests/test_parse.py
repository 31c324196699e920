from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earmark.eartags.codes import (
    SPECIES_DIGITS,
    CodeError,
    format_tag,
    parse_legacy,
    parse_tag,
    split,
)
from earmark.eartags.parse import ParsedTags, Problem, parse_tags

A = 122010200000001


def _read(text: str) -> ParsedTags:
    return parse_tags(text, species=SPECIES_DIGITS)


def test_a_tag_number_splits_into_species_county_and_serial() -> None:
    code = split(parse_tag("122010200000001", species=SPECIES_DIGITS))
    assert (code.species_digit, code.county, code.serial) == (1, "220102", 1)
    assert format_tag(code.number) == "122010200000001"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12201020000000", "wrong_length"),
        ("12201020000000a", "not_digits"),
        ("522010200000001", "unknown_species"),
        ("１２２０１０２００００００００１", "not_digits"),
    ],
)
def test_it_refuses_what_is_not_a_tag_number(text: str, reason: str) -> None:
    with pytest.raises(CodeError) as caught:
        parse_tag(text, species=SPECIES_DIGITS)
    assert caught.value.reason == reason


def test_the_legacy_code_is_a_postal_code_and_a_vaccinator() -> None:
    legacy = parse_legacy("13010003")
    assert (legacy.postal_code, legacy.vaccinator) == ("130100", "03")


def test_it_reads_singles_ranges_and_short_range_ends() -> None:
    parsed = parse_tags(
        "122010200000001\n122010200000010-122010200000020, 122010200000100-150",
        species=SPECIES_DIGITS,
    )
    assert parsed.numbers.ranges == ((A, A), (A + 9, A + 19), (A + 99, A + 149))
    assert parsed.problems == []
    assert parsed.typed == 1 + 11 + 51


def test_it_reads_short_suffixes_after_a_prefix_or_a_full_number() -> None:
    explicit = _read("1220102000000: 01 05 10-12")
    assert explicit.numbers.ranges == ((A, A), (A + 4, A + 4), (A + 9, A + 11))
    following = _read("122010200000001 002 005-009")
    assert following.numbers.ranges == ((A, A + 1), (A + 4, A + 8))


def test_it_reads_a_pasted_column_with_chinese_separators() -> None:
    parsed = parse_tags(
        "122010200000001、122010200000002；122010200000003 ～ 122010200000005",
        species=SPECIES_DIGITS,
    )
    assert parsed.numbers.ranges == ((A, A + 4),)


def test_it_says_exactly_what_it_could_not_read() -> None:
    parsed = parse_tags(
        "122010200000001 abc 1220102000000099 122010200000020-10 13010003 0042",
        species=SPECIES_DIGITS,
    )
    assert parsed.problems == [
        Problem("abc", "not_digits"),
        Problem("1220102000000099", "wrong_length"),
        Problem("122010200000020-10", "backwards"),
    ]
    assert parsed.legacy == ["13010003"]
    assert parsed.numbers.ranges == ((A, A), (A + 41, A + 41))
    lone = _read("0042")
    assert lone.problems == [Problem("0042", "wrong_length")]


def test_it_refuses_ranges_across_prefixes_and_absurd_widths() -> None:
    assert _read("122010200000001-122010300000001").problems == [
        Problem("122010200000001-122010300000001", "mixed_prefix")
    ]
    assert _read("122010200000001-122010299999999").problems[0].reason == "too_wide"


def test_it_notices_numbers_typed_twice() -> None:
    parsed = _read("122010200000001-005 122010200000003")
    assert parsed.typed == 6
    assert parsed.numbers.count == 5
    assert parsed.duplicates.ranges == ((A + 2, A + 2),)


@given(st.lists(st.integers(min_value=A, max_value=A + 5000), min_size=1, max_size=50))
def test_any_list_of_numbers_reads_back_as_itself(numbers: list[int]) -> None:
    text = "\n".join(format_tag(n) for n in numbers)
    parsed = _read(text)
    assert list(parsed.numbers.expand()) == sorted(set(numbers))
    assert parsed.typed == len(numbers)
