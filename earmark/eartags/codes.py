"""Ear-tag numbers: the 15-digit national code and the legacy 8-digit immunization code.

Pure Python, no Django. The 15-digit code (MoA Order 67 of 2006, art. 8) is
``S CCCCCC NNNNNNNN``: a species digit, the 6-digit code of the issuing county at the time of
issue, and an 8-digit serial. It is stored as a 64-bit integer. The legacy code (MoA Order 13
of 2002, art. 7) is a 6-digit postal code and a 2-digit vaccinator number; where a region
printed one, an add-on code (附加码) for the basic prevention unit below the township (village,
household, farm, herd or animal) follows it, written ``22010301-0123``.
"""

from __future__ import annotations

from dataclasses import dataclass

# Species digit → species as shipped. 7 is the breeding-sow tag of the 2010 specification. The
# table is a parameter of every reading: the system passes the province's own
# (``core.species.species_digits``), which may hold species the province added.
SPECIES_DIGITS: dict[int, str] = {1: "pig", 2: "cattle", 3: "sheep", 7: "pig"}

TAG_LENGTH = 15
LEGACY_LENGTH = 8
# The add-on code's length is a region's choice; no printed unit code is longer than this.
ADDON_LENGTH = 12
_SERIAL = 10**8
_COUNTY = 10**6


@dataclass(frozen=True)
class TagCode:
    species_digit: int
    county: str
    serial: int

    @property
    def number(self) -> int:
        return (self.species_digit * _COUNTY + int(self.county)) * _SERIAL + self.serial


@dataclass(frozen=True)
class LegacyCode:
    postal_code: str
    vaccinator: str
    addon: str = ""

    @property
    def text(self) -> str:
        """The 8 digits, without the add-on code."""
        return f"{self.postal_code}{self.vaccinator}"

    @property
    def full(self) -> str:
        """As printed and typed: the 8 digits, and the add-on code after a dash."""
        return f"{self.text}-{self.addon}" if self.addon else self.text


class CodeError(ValueError):
    """A tag number that cannot be read; ``reason`` is a stable code for translation."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


def split(number: int) -> TagCode:
    return TagCode(
        species_digit=number // (_COUNTY * _SERIAL),
        county=f"{(number // _SERIAL) % _COUNTY:06d}",
        serial=number % _SERIAL,
    )


def format_tag(number: int) -> str:
    return f"{number:015d}"


def format_range(first: int, last: int) -> str:
    """``122010200000001-122010200000500``, or one number alone."""
    return format_tag(first) if first == last else f"{format_tag(first)}-{format_tag(last)}"


def parse_tag(text: str, *, species: dict[int, str]) -> int:
    """A 15-digit tag number as an integer; refuses anything else with a reason code."""
    text = text.strip()
    if not text.isdigit() or not text.isascii():
        raise CodeError("not_digits", text)
    if len(text) != TAG_LENGTH:
        raise CodeError("wrong_length", text)
    number = int(text)
    if split(number).species_digit not in species:
        raise CodeError("unknown_species", text)
    return number


def species_of(number: int, *, species: dict[int, str]) -> str | None:
    return species.get(split(number).species_digit)


def county_of(number: int) -> str:
    return split(number).county


def prefix_of(number: int) -> int:
    """Species digit and county together: every number of one range shares them."""
    return number // _SERIAL


def current_county(county: str, aliases: dict[str, str]) -> str:
    """Today's county for a county part printed on a tag (公主岭 220381 → 220184)."""
    return aliases.get(county, county)


def parse_legacy(text: str) -> LegacyCode:
    """``22010301`` or, with the add-on code, ``22010301-0123`` (1 to 12 digits)."""
    text = text.strip()
    code, dash, addon = text.partition("-")
    if not code.isdigit() or not code.isascii():
        raise CodeError("not_digits", text)
    if len(code) != LEGACY_LENGTH:
        raise CodeError("wrong_length", text)
    if dash and not (addon.isdigit() and addon.isascii() and len(addon) <= ADDON_LENGTH):
        raise CodeError("bad_addon", text)
    return LegacyCode(postal_code=code[:6], vaccinator=code[6:], addon=addon)


def is_legacy(text: str) -> bool:
    """Whether ``text`` is written as a legacy code (with or without its add-on code)."""
    try:
        parse_legacy(text)
    except CodeError:
        return False
    return True
