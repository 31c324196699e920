from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earmark.core.codes import RegionLevel, county_of, is_within, jurisdiction_prefix, level_of


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("220000", RegionLevel.PROVINCE),
        ("220100", RegionLevel.CITY),
        ("222400", RegionLevel.CITY),
        ("220113", RegionLevel.COUNTY),
        ("220113102", RegionLevel.TOWNSHIP),
    ],
)
def test_it_reads_the_level_from_the_code(code: str, level: RegionLevel) -> None:
    assert level_of(code) == level


def test_it_rejects_what_is_not_a_region_code() -> None:
    for bad in ("2201", "22010x", "2201130010", ""):
        with pytest.raises(ValueError):
            level_of(bad)


def test_a_county_is_within_its_city_and_province_but_not_its_neighbour() -> None:
    assert is_within("220102", "220100")
    assert is_within("220102", "220000")
    assert is_within("220102001", "220102")
    assert not is_within("220103", "220102")
    assert not is_within("220103001", "220102")
    assert not is_within("222401", "220100")
    assert not is_within("220100", "220102")


counties = st.from_regex(r"\A22[0-9]{2}(0[1-9]|[1-9][0-9])\Z")
townships = st.tuples(counties, st.from_regex(r"\A[0-9]{3}\Z")).map("".join)


@given(county=counties, township_suffix=st.from_regex(r"\A[0-9]{3}\Z"))
def test_every_township_lies_within_its_county_city_and_province(
    county: str, township_suffix: str
) -> None:
    township = county + township_suffix
    city = county[:4] + "00"
    assert is_within(township, county)
    assert is_within(township, city)
    assert is_within(township, "220000")
    assert county_of(township) == county


@given(a=counties, b=counties)
def test_two_counties_contain_each_other_only_when_equal(a: str, b: str) -> None:
    assert (is_within(a, b) and is_within(b, a)) == (a == b)
    assert jurisdiction_prefix(a) == a
