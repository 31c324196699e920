"""Reading tag numbers as people type or paste them. Pure Python, no Django.

Accepted, separated by spaces, new lines, commas, semicolons or 、:

- a 15-digit number: ``122010200000001``;
- a range, with ``-``, ``~``, ``～``, ``—`` or ``至``: ``122010200000001-122010200000500``, or with
  the end written short, replacing the last digits of the start: ``122010200000001-500``;
- short suffixes after a full number or an explicit prefix ending in ``:``: in
  ``1220102000000:01 05 10-20`` or ``122010200000001 002 005-009`` each short number replaces
  the last digits of the prefix or of the preceding full number;
- a legacy 8-digit immunization code (6-digit postal code and 2-digit vaccinator number),
  kept apart; after an explicit prefix, 8 digits are a serial instead.

Everything that cannot be read is reported with the text as typed and a reason code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from earmark.eartags.codes import LEGACY_LENGTH, TAG_LENGTH, CodeError, parse_tag
from earmark.eartags.ranges import Range, RangeSet

_SEPARATORS = re.compile(r"[\s,，;；、]+")
_DASHES = re.compile(r"\s*[-~～—–至]\s*")
_MAX_RANGE = 10_000_000  # a wider range is almost certainly a typing mistake
# The work one request may ask for: ranges and single numbers typed, and numbers in all. Beyond,
# nothing is read and the problem says so (a request of its own per box or per batch).
MAX_ITEMS = 5_000
MAX_NUMBERS = 1_000_000


@dataclass(frozen=True)
class Problem:
    text: str
    reason: str


@dataclass
class ParsedTags:
    numbers: RangeSet = field(default_factory=RangeSet)
    legacy: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # How many numbers were typed, counting repeats, to tell "15 tags for 15 animals" apart
    # from a number typed twice.
    typed: int = 0
    duplicates: RangeSet = field(default_factory=RangeSet)


def parse_tags(text: str, *, species: dict[int, str]) -> ParsedTags:
    result = ParsedTags()
    collected: list[Range] = []
    prefix = ""
    explicit = False
    # Join the two sides of a dash written with spaces ("A - B") before splitting.
    for token in _SEPARATORS.split(_DASHES.sub("-", text.strip())):
        if not token:
            continue
        if len(collected) >= MAX_ITEMS:
            return _refused(f"{MAX_ITEMS}+", "too_many_items")
        if token.endswith(":") or token.endswith("："):
            stem = token[:-1]
            if stem.isdigit() and stem.isascii() and 0 < len(stem) < TAG_LENGTH:
                prefix, explicit = stem, True
            else:
                result.problems.append(Problem(token, "bad_prefix"))
            continue
        if "-" in token:
            start_text, _, end_text = token.partition("-")
            try:
                start = _complete(start_text, prefix, species)
                end = _complete(end_text, format(start, "015d"), species)
            except CodeError as error:
                result.problems.append(Problem(token, error.reason))
                continue
            if end < start:
                result.problems.append(Problem(token, "backwards"))
            elif start // 10**8 != end // 10**8:
                result.problems.append(Problem(token, "mixed_prefix"))
            elif end - start + 1 > _MAX_RANGE:
                result.problems.append(Problem(token, "too_wide"))
            else:
                collected.append((start, end))
                prefix = format(start, "015d")
            continue
        if len(token) == LEGACY_LENGTH and token.isdigit() and not explicit:
            result.legacy.append(token)
            continue
        try:
            number = _complete(token, prefix, species)
        except CodeError as error:
            result.problems.append(Problem(token, error.reason))
            continue
        collected.append((number, number))
        if len(token) == TAG_LENGTH:
            prefix = token
    typed = sum(last - first + 1 for first, last in collected)
    if typed > MAX_NUMBERS:
        return _refused(f"{typed:,}", "too_many_numbers")
    result.numbers = RangeSet.of(collected)
    result.typed = typed
    result.duplicates = _repeated(collected)
    return result


def _refused(text: str, reason: str) -> ParsedTags:
    """Nothing read: the request asks for more work than one request may."""
    return ParsedTags(problems=[Problem(text, reason)])


def _complete(text: str, prefix: str, species: dict[int, str]) -> int:
    if not text.isdigit() or not text.isascii():
        raise CodeError("not_digits", text)
    if len(text) < TAG_LENGTH:
        if not prefix:
            raise CodeError("wrong_length", text)
        text = prefix[: TAG_LENGTH - len(text)] + text
    return parse_tag(text, species=species)


def _repeated(ranges: list[Range]) -> RangeSet:
    """Numbers typed more than once: one sweep over the ranges in order of their start."""
    repeated: list[Range] = []
    reach = -1  # the highest number covered so far
    for first, last in sorted(ranges):
        if first <= reach:
            repeated.append((first, min(last, reach)))
        reach = max(reach, last)
    return RangeSet.of(repeated)
