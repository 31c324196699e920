"""Each role's home page starts with its work: a tile per daily task, with what waits for it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from earmark.accounts.models import User
from earmark.core.testing import client_for
from earmark.farms.models import Premises
from earmark.quarantine.models import Declaration

pytestmark = pytest.mark.django_db


def tiles(user: User) -> dict[str, tuple[str, str]]:
    """Label → (link, count) of the home page's tiles, in Chinese."""
    page = client_for(user).get("/").content.decode()
    [block] = re.findall(r'<ul class="tiles".*?</ul>', page, re.S)
    found = {}
    for href, inner in re.findall(r'<a href="([^"]+)">(.*?)</a>', block, re.S):
        label = re.search(r'tile-label">([^<]+)<', inner).group(1)  # type: ignore[union-attr]
        count = re.search(r'tile-count[^"]*">(\d+)<', inner)
        found[label] = (href, count.group(1) if count else "")
    return found


def test_a_vaccinator_starts_from_the_immunization_and_the_tags_he_holds(
    stocked_vaccinator: User,
) -> None:
    shown = tiles(stocked_vaccinator)
    assert shown["登记免疫"] == ("/immunize/", "")
    assert shown["我的耳标"] == ("/tags/", "100")
    assert shown["今日免疫登记"][1] == "0"
    assert "待受理申报" not in shown


def test_the_station_and_the_vet_see_what_waits_for_them(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declared()
    assert tiles(station_officer)["待受理申报"] == ("/quarantine/?status=submitted", "1")
    vet_tiles = tiles(vet)
    assert vet_tiles["待检疫"] == ("/quarantine/?status=accepted", "0")
    assert "待出证" in vet_tiles and "屠宰检疫" in vet_tiles


def test_the_county_sees_farms_to_verify_alerts_and_tags_to_destroy(
    county_officer: User, pig_farm: Premises
) -> None:
    shown = tiles(county_officer)
    assert shown["待审核养殖场户"] == ("/premises/?status=to_verify", "1")
    assert shown["未处理预警"][1] == "0" and shown["待销毁耳标"][1] == "0"
