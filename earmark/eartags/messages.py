"""User-facing wording for the reason codes of the pure tag modules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError, item
from earmark.core.species import species_digits
from earmark.eartags.codes import CodeError, format_range, format_tag, is_legacy, parse_tag
from earmark.eartags.errors import NOT_A_TAG_NUMBER, TAGS_UNREADABLE, TOO_MUCH
from earmark.eartags.parse import ParsedTags, parse_tags
from earmark.eartags.ranges import RangeSet


def reason_text(reason: str) -> str:
    return {
        "not_digits": _("not a number"),
        "wrong_length": _("a tag number has 15 digits"),
        "unknown_species": _("the first digit is not a species digit"),
        "backwards": _("the range runs backwards"),
        "mixed_prefix": _("both ends of a range must share the species and county digits"),
        "too_wide": _("the range is too wide (more than 10,000,000 numbers)"),
        "bad_prefix": _("a prefix is 1 to 14 digits followed by “:”"),
        "too_many_items": _(
            "more than 5,000 numbers and ranges at once; send them in several requests"
        ),
        "too_many_numbers": _("more than 1,000,000 numbers at once; send them in several requests"),
        "bad_addon": _("an add-on code is 1 to 12 digits after the 8-digit code and a dash"),
    }.get(reason, reason)


def parse_problems(parsed: ParsedTags) -> list[dict[str, str]]:
    return [{"text": p.text, "message": reason_text(p.reason)} for p in parsed.problems]


def format_ranges(numbers: RangeSet, *, limit: int = 10) -> str:
    """``122010200000001-122010200000500、122010200000777`` — at most ``limit`` ranges."""
    parts = [format_range(first, last) for first, last in numbers.ranges[:limit]]
    if len(numbers.ranges) > limit:
        parts.append(_("and %(count)d more ranges") % {"count": len(numbers.ranges) - limit})
    return "、".join(parts)


def parse_items(parsed: ParsedTags) -> list[dict[str, Any]]:
    """What could not be read, as the items of a refusal (``core.errors.item``)."""
    return [item(p.text, reason_text(p.reason)) for p in parsed.problems] + [
        item(text, _("an 8-digit code of the old system, not a 15-digit tag number"))
        for text in parsed.legacy
    ]


def range_items(numbers: RangeSet, problem: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """One item of a refusal per range of ``numbers`` (at most ``limit``), each with ``problem``."""
    return [
        item(format_range(first, last), problem, count=last - first + 1)
        for first, last in numbers.ranges[:limit]
    ]


def tag_pairs(numbers: RangeSet) -> list[list[str]]:
    """``[["122010200000001", "122010200000500"], ...]``: ranges as tag text, for payloads."""
    return [[format_tag(first), format_tag(last)] for first, last in numbers]


def read_numbers(text: str) -> RangeSet:
    """The numbers typed, or a refusal that lists everything that could not be read."""

    parsed = parse_tags(text, species=species_digits())
    if parsed.problems or parsed.legacy:
        raise BusinessError(
            _("Some numbers could not be read."),
            code=TAGS_UNREADABLE,
            items=parse_items(parsed),
        )
    return parsed.numbers


def traceable_problem(text: str) -> str:
    """Why ``text`` cannot start a trace (a 15-digit tag number, or an old 8-digit one), or ""
    when it can: said beside the search field instead of on a page of its own (#38)."""
    text = text.strip()
    if is_legacy(text):
        return ""
    try:
        parse_tag(text, species=species_digits())
    except CodeError:
        return _("%(text)s is not a 15-digit tag number.") % {"text": text[:40]}
    return ""


def parse_one_tag(text: str) -> int:
    """One 15-digit tag number, or a refusal saying so."""

    try:
        return parse_tag(text.strip(), species=species_digits())
    except CodeError as error:
        raise BusinessError(
            _("%(text)s is not a 15-digit tag number.") % {"text": text[:40]},
            code=NOT_A_TAG_NUMBER,
            fields={"tag": _("A tag number has 15 digits.")},
        ) from error


def refuse_too_much(parsed: ParsedTags) -> None:
    """Refuse, before any work, numbers beyond what one request may ask for."""

    for problem in parsed.problems:
        if problem.reason.startswith("too_many"):
            raise BusinessError(
                reason_text(problem.reason),
                code=TOO_MUCH,
                items=[item(problem.text, reason_text(problem.reason))],
            )
