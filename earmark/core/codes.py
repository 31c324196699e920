"""Region codes (GB/T 2260): levels and jurisdiction prefixes. Pure functions, no Django.

A region's code prefix is its jurisdiction: ``22`` a province, ``2201`` a city, ``220102`` a
county, ``220102001`` a township (county code + 3 digits).
"""

from __future__ import annotations

import re
from enum import StrEnum


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


LEVEL_DEPTH = {
    RegionLevel.PROVINCE: 0,
    RegionLevel.CITY: 1,
    RegionLevel.COUNTY: 2,
    RegionLevel.TOWNSHIP: 3,
}

_REGION_CODE = re.compile(r"^\d{6}(\d{3})?$")


def is_region_code(code: str) -> bool:
    return bool(_REGION_CODE.match(code))


def level_of(code: str) -> RegionLevel:
    """The level a well-formed region code denotes by its shape."""
    if not is_region_code(code):
        raise ValueError(f"not a region code: {code!r}")
    if len(code) == 9:
        return RegionLevel.TOWNSHIP
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def jurisdiction_prefix(code: str) -> str:
    """The prefix shared by the codes of a region and of every region below it."""
    level = level_of(code)
    return {
        RegionLevel.PROVINCE: code[:2],
        RegionLevel.CITY: code[:4],
        RegionLevel.COUNTY: code[:6],
        RegionLevel.TOWNSHIP: code,
    }[level]


def is_within(code: str, jurisdiction: str) -> bool:
    """Whether region ``code`` is ``jurisdiction`` itself or lies below it."""
    return code.startswith(jurisdiction_prefix(jurisdiction))


def county_of(code: str) -> str | None:
    """The county code of a county or township code; None above county level."""
    level = level_of(code)
    if level in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP):
        return code[:6]
    return None
