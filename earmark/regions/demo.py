"""Where the demo happens (#30): a province and a county of it, and what every app's demo takes
its codes, names, tag prefixes, plates and telephone numbers from, so that a Heilongjiang
instance seeds a believable demo of its own. Jilin's 九台区 stays the default of ``make run``.

The townships, the other counties and the rest are read from the loaded divisions; for the two
shipped provinces' default counties a preset names them (Jilin's demo is the one the project
always had)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from django.conf import settings

from earmark.core.validators import id_check_character
from earmark.regions.models import Region, RegionAlias
from earmark.regions.provinces import ABBREVIATIONS, PROVINCES


@dataclass(frozen=True)
class Preset:
    """What cannot be read from the divisions: the short names of codes and serials, the
    telephone area code, the other province the county trades with across the border, and the
    places the demo likes best."""

    initials: str
    province_initials: str
    area: str
    partner: str
    partner_county: str
    partner_address: str
    partner_origin: str
    border: str = ""
    towns: tuple[str, ...] = ()
    villages: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()


PRESETS = {
    "220113": Preset(
        initials="JT",
        province_initials="JL",
        area="0431",
        partner="230000",
        partner_county="230102",
        partner_address="黑龙江省哈尔滨市双城区某养殖场",
        partner_origin="黑龙江省哈尔滨市道里区兴旺养殖场",
        border="220182",
        towns=("220113102", "220113103"),
        villages=("220113200", "220113201"),
        streets=("220113001", "220113005", "220113012"),
        others=("220102", "220103", "220104", "220105", "220106", "220112"),
        elsewhere=("220102", "220184", "220183"),
    ),
    "230113": Preset(
        initials="SC",
        province_initials="HL",
        area="0451",
        partner="220000",
        partner_county="220113",
        partner_address="吉林省长春市九台区某养殖场",
        partner_origin="吉林省长春市九台区宏达生猪养殖场",
        border="230113",
    ),
}
# The county each shipped province's demo is set in.
DEFAULT_COUNTIES = {"220000": "220113", "230000": "230113"}


@dataclass(frozen=True)
class DemoPlace:
    province: str
    county: str
    preset: Preset = field(compare=False)

    @cached_property
    def _names(self) -> dict[str, str]:
        return dict(
            Region.objects.filter(code__startswith=self.province[:2]).values_list("code", "name")
        )

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    @cached_property
    def city(self) -> str:
        parent = Region.objects.filter(code=self.county).values_list("parent_id", flat=True)
        return parent.first() or self.province

    def _townships(self, kind: str) -> tuple[str, ...]:
        """The county's 街道 (0), 镇 (1) or 乡 (2), in code order."""
        return tuple(
            sorted(
                code
                for code in self._names
                if len(code) == 9 and code[:6] == self.county and code[6] == kind
            )
        )

    def _pick(self, chosen: tuple[str, ...], kind: str, count: int) -> tuple[str, ...]:
        """The preset's, else the county's first of that kind, else any of its townships."""
        if chosen:
            return chosen
        found = [*self._townships(kind), *self._townships("1"), *self._townships("0")]
        found += [*self._townships("2")]
        unique = list(dict.fromkeys(found))
        return tuple((unique * count)[:count])

    @cached_property
    def towns(self) -> tuple[str, ...]:
        return self._pick(self.preset.towns, "1", 2)

    @cached_property
    def villages(self) -> tuple[str, ...]:
        return self._pick(self.preset.villages, "2", 2)

    @cached_property
    def streets(self) -> tuple[str, ...]:
        return self._pick(self.preset.streets, "0", 3)

    @property
    def township(self) -> str:
        """The township the demo's station, farms and vaccinator are in."""
        return self.towns[0]

    @cached_property
    def others(self) -> tuple[str, ...]:
        """Other counties of the same city, for the rollout's steps."""
        if self.preset.others:
            return self.preset.others
        return tuple(
            sorted(
                code
                for code in self._names
                if len(code) == 6
                and code[:4] == self.city[:4]
                and code not in (self.county,)
                and code != self.city
            )
        )[:6]

    @cached_property
    def elsewhere(self) -> tuple[str, ...]:
        """Three other counties of the province: a farm in one, a farm in another, and the
        one the demo dealer also buys in."""
        if self.preset.elsewhere:
            return self.preset.elsewhere
        counties = [
            code
            for code in sorted(self._names)
            if len(code) == 6 and not code.endswith("00") and code != self.county
        ]
        return tuple((counties * 3)[:3])

    @property
    def border(self) -> str:
        """The county of the designated checkpoint on the road to the partner province."""
        return self.preset.border or self.county

    @cached_property
    def former(self) -> str:
        """A former code of the county, still printed on older tags ("" when none)."""
        old = RegionAlias.objects.filter(region_id=self.county).values_list("code", flat=True)
        return old.order_by("code").first() or ""

    @property
    def partner(self) -> str:
        return self.preset.partner

    @property
    def province_name(self) -> str:
        return PROVINCES.get(self.province, self.province)

    @property
    def city_name(self) -> str:
        return self.name(self.city)

    @property
    def city_short(self) -> str:
        """长春, 哈尔滨: the city without 市."""
        return self.city_name.removesuffix("市")

    @property
    def county_name(self) -> str:
        return self.name(self.county)

    @property
    def abbreviation(self) -> str:
        return ABBREVIATIONS.get(self.province, "")

    def plate(self, tail: str) -> str:
        """A plate of the provincial capital's letter: 吉A7D521."""
        return f"{self.abbreviation}A{tail}"

    def phone(self, serial: int, prefix: str = "139") -> str:
        """A mobile number of the demo, ``139`` + the area code + a serial: 13904310001."""
        return f"{prefix}{self.preset.area}{serial:04d}"

    def id_card(self, born: str, serial: str) -> str:
        """A resident ID number of the county with its right check character."""
        body = f"{self.county}{born}{serial}"
        return body + id_check_character(body)

    def tag_prefix(self, digit: int, county: str = "") -> int:
        """The first seven digits of the county's tags of a species: 1220113."""
        return int(f"{digit}{county or self.county}")


_chosen: dict[str, DemoPlace] = {}


def demo_place_choose(province: str, county: str = "") -> DemoPlace:
    """The place the demo is seeded in from now on (``seed_demo --province --county``)."""
    county = county or DEFAULT_COUNTIES.get(province) or _first_county(province)
    # Another county of a shipped province: its province's preset, places read from the data.
    shipped = PRESETS[DEFAULT_COUNTIES.get(province, "230113")]
    preset = PRESETS.get(county) or replace(
        shipped,
        initials=county[-4:],
        border="",
        towns=(),
        villages=(),
        streets=(),
        others=(),
        elsewhere=(),
    )
    _chosen["place"] = DemoPlace(province, county, preset)
    return _chosen["place"]


def demo_place() -> DemoPlace:
    """Where the demo is seeded: the one chosen, else the instance's province's default county."""
    return _chosen.get("place") or demo_place_choose(settings.EARMARK_PROVINCE_CODE)


def _first_county(province: str) -> str:
    county = (
        Region.objects.filter(code__startswith=province[:2], level=Region.Level.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return county or ""
