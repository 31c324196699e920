from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.species import species_digits
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.immunization.models import ImmunizationRecord
from earmark.immunization.selectors.protection import protection_check
from earmark.immunization.services.catalog import compulsory_set


def _range(a: int, b: int) -> RangeSet:
    return RangeSet(((int(pig(a)), int(pig(b))),))


def test_protection_lasts_the_vaccines_period(vaccinate: Callable[..., ImmunizationRecord]) -> None:
    start = timezone.localdate() - timedelta(days=100)
    vaccinate(f"{pig(1)}-{pig(5)}", start)
    inside = protection_check(numbers=_range(1, 5), on=start + timedelta(days=179))
    assert inside.ok
    assert inside.segments[0].diseases[0].until == start + timedelta(days=179)
    after = protection_check(numbers=_range(1, 5), on=start + timedelta(days=180))
    assert not after.ok
    assert after.segments[0].problems == [
        f"口蹄疫（O型）免疫保护期已于 {(start + timedelta(days=179)).isoformat()} 到期"
    ]
    before = protection_check(numbers=_range(1, 5), on=start - timedelta(days=1))
    assert before.segments[0].problems == [
        f"{(start - timedelta(days=1)).isoformat()} 之后才免疫口蹄疫（O型）"
    ]


def test_the_report_groups_animals_by_range_and_says_why(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    today = timezone.localdate()
    vaccinate(f"{pig(1)}-{pig(3)}", today - timedelta(days=200))
    vaccinate(f"{pig(4)}-{pig(6)}", today - timedelta(days=10))
    response = client_for(stocked_vaccinator).post(
        "/api/v1/immunizations/check",
        {"numbers": f"{pig(1)}-{pig(8)}"},
        content_type="application/json",
    )
    body = response.json()
    assert body["ok"] is False
    assert body["unprotected"] == 5
    assert [(s["first"], s["last"], s["problems"]) for s in body["segments"]] == [
        (
            pig(1),
            pig(3),
            [f"口蹄疫（O型）免疫保护期已于 {(today - timedelta(days=21)).isoformat()} 到期"],
        ),
        (pig(4), pig(6), []),
        (pig(7), pig(8), ["未佩戴在任何畜禽上"]),
    ]


def test_cattle_need_both_fmd_types_and_brucellosis_where_the_county_vaccinates(
    make_premises: Any,
    register: Any,
    county_officer: User,
    station: Any,
    station_officer: User,
    stocked_vaccinator: User,
    province_admin: User,
) -> None:
    from earmark.eartags.holders import Holder
    from earmark.eartags.parse import parse_tags
    from earmark.eartags.services.issuing import Selection, tags_issue
    from earmark.eartags.services.registration import RegistrationRow, tags_register
    from earmark.immunization.models import Vaccine
    from earmark.immunization.services.records import Session, immunization_record

    tags_register(
        actor=county_officer,
        rows=[RegistrationRow(1, "cattle", "222010200000001", "222010200000010", "10")],
    )
    tags_issue(
        actor=county_officer,
        target=Holder(agency=station),
        species="cattle",
        selection=Selection(count=10),
    )
    tags_issue(
        actor=station_officer,
        target=Holder(vaccinator=stocked_vaccinator),
        species="cattle",
        selection=Selection(count=10),
    )
    ranch = make_premises(township="220102001", stock={"cattle": 10})
    today = timezone.localdate()
    o_only = Vaccine.objects.get(name="口蹄疫O型合成肽疫苗")
    immunization_record(
        actor=stocked_vaccinator,
        premises=ranch,
        session=Session(
            species="cattle",
            vaccine=o_only,
            batch_number="X1",
            vaccinated_on=today,
            disinfection="酒精",
            age=6,
            age_unit="months",
            seller="南关区兽药经营部",
        ),
        numbers=parse_tags("222010200000001-002", species=species_digits()).numbers,
    )
    numbers = parse_tags("222010200000001-002", species=species_digits()).numbers
    assert protection_check(numbers=numbers, on=today).segments[0].problems == [
        "未免疫口蹄疫（A型）"
    ]
    bivalent = Vaccine.objects.get(name="口蹄疫O型、A型二价灭活疫苗")
    immunization_record(
        actor=stocked_vaccinator,
        premises=ranch,
        session=Session(
            species="cattle",
            vaccine=bivalent,
            batch_number="X2",
            vaccinated_on=today,
            disinfection="酒精",
            age=6,
            age_unit="months",
            seller="南关区兽药经营部",
        ),
        numbers=numbers,
    )
    assert protection_check(numbers=numbers, on=today).ok
    compulsory_set(
        actor=province_admin, species="cattle", disease="brucellosis", county_code="220102", on=True
    )
    assert protection_check(numbers=numbers, on=today).segments[0].problems == ["未免疫布鲁氏菌病"]
    compulsory_set(
        actor=province_admin,
        species="cattle",
        disease="brucellosis",
        county_code="220102",
        on=False,
    )
    assert protection_check(numbers=numbers, on=today).ok
