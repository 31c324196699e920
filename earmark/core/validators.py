"""Checks of what people type: mainland mobile numbers, resident ID-card numbers, and text free
of control characters."""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A mainland plate: the province's character, a letter, then 5 (6 for new-energy) letters or
# digits, e.g. 吉A12345.
_PLATE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$")
_ID_CARD = re.compile(r"^\d{17}[\dX]$")
# GB 11643-1999: weights of the first 17 digits and the check character for each remainder.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def is_mobile(phone: str) -> bool:
    return bool(_MOBILE.match(phone))


# What a mobile number must look like, said the same way wherever one is asked for.
MOBILE_PROBLEM = _("Enter an 11-digit mainland mobile number.")


def normalize_plate(plate: str) -> str:
    """A plate as typed (吉a·12345, 吉A 12345) in its one stored form: 吉A12345."""
    return "".join(plate.split()).replace("·", "").replace("-", "").upper()


def is_plate(plate: str) -> bool:
    return bool(_PLATE.match(plate))


def normalize_id_card(number: str) -> str:
    return number.strip().upper()


def id_check_character(first_17: str) -> str:
    """The check character (GB 11643) of a resident ID number's first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first_17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_id_card(number: str) -> bool:
    """An 18-character resident ID number whose check character is right."""
    number = normalize_id_card(number)
    if not _ID_CARD.match(number):
        return False
    return id_check_character(number[:17]) == number[17]


def mask_id_card(number: str) -> str:
    """Keep the first 3 and last 4 characters, as lists and exports show it."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# Control characters (C0 and C1, and DEL) have no place in a name, an address or a note: they
# break exports (a NUL cannot be written to a workbook) and hide text. Tab and line breaks are
# allowed only where a field takes several lines. Lone surrogates (JSON may carry them) are not
# text at all: UTF-8 cannot hold them. Invisible formatting is refused with them: the
# text-direction controls (U+202E makes a farm's name read backwards on a certificate), zero-width
# spaces and joiners, the soft hyphen, the byte-order mark — what a reader cannot see but a search
# or a comparison does (#34).
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_INVISIBLE}]")
_CONTROL_OR_BREAK = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_INVISIBLE}]")
# What is wrong with such text, said the same way wherever text is typed.
CONTROL_PROBLEM = _(
    "Control characters and invisible formatting (text-direction marks, zero-width spaces) are "
    "not allowed."
)


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    return bool((_CONTROL if multiline else _CONTROL_OR_BREAK).search(text))


def printable(text: str) -> str:
    """``text`` without control characters (line breaks become spaces), for documents."""
    return _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ").replace("\t", " ")


def one_line(value: object, longest: int) -> str:
    """Text another system sent, kept as one line of printable characters, at most ``longest``
    (a NUL would not even reach PostgreSQL)."""
    return " ".join(printable(str(value or "")).split())[:longest]


def clean_text(
    value: str, longest: int, *, required: bool = True, multiline: bool = False
) -> str | None:
    """``value`` stripped, or None when it is missing (if ``required``), longer than
    ``longest`` or carries control characters (line breaks allowed when ``multiline``)."""
    value = value.strip()
    if (required and not value) or len(value) > longest:
        return None
    if has_control_characters(value, multiline=multiline):
        return None
    return value


class FieldCheck:
    """The problems of a request's fields, gathered so that all come back at once, each rule in
    one wording: a missing text says what to give (``missing``), a long one how long it may be,
    a mobile number what it must look like.

    ``text`` and ``mobile`` answer the cleaned value ("" when it has a problem)."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def text(
        self,
        name: str,
        value: str,
        longest: int,
        *,
        missing: str | Promise | None = None,
        required: bool = True,
        multiline: bool = False,
    ) -> str:
        cleaned = (value or "").strip()
        if not cleaned:
            if required:
                self.add(name, missing or _("Required."))
        elif len(cleaned) > longest:
            self.add(name, _("At most %(n)d characters.") % {"n": longest})
        elif has_control_characters(cleaned, multiline=multiline):
            self.add(name, CONTROL_PROBLEM)
        else:
            return cleaned
        return ""

    def mobile(self, name: str, value: str, *, required: bool = True) -> str:
        cleaned = (value or "").strip()
        if (cleaned or required) and not is_mobile(cleaned):
            self.add(name, MOBILE_PROBLEM)
            return ""
        return cleaned

    def add(self, name: str, problem: str | Promise) -> None:
        """A problem of ``name`` (the first one found stays)."""
        self.problems.setdefault(name, str(problem))

    def __bool__(self) -> bool:
        return bool(self.problems)
