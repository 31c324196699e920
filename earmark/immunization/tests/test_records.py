from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import pig
from earmark.eartags.holders import Holder
from earmark.eartags.models import Holding, Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.eartags.services.pliers import pliers_issue, pliers_register
from earmark.eartags.services.registration import RegistrationRow, tags_register
from earmark.farms.models import Premises
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import Animal, AnimalTag, ImmunizationRecord, Vaccine
from earmark.immunization.services.tagging import tags_apply


def _body(premises: Premises, numbers: str, **extra: Any) -> dict[str, Any]:
    return {
        "premises": premises.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B2026-01",
        "disinfection": "75%酒精浸泡消毒",
        "seller": "南关区兽药店",
        "age": 45,
        "age_unit": "days",
        "campaign": "spring",
        "numbers": numbers,
        **extra,
    }


def _problems(body: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """A refusal's items as (tags as typed, problems); an empty ref is the session as a whole."""
    return [(entry["ref"], entry["problems"]) for entry in body["detail"]["items"]]


def _post(user: User, body: dict[str, Any], url: str = "/api/v1/immunizations") -> Any:
    return client_for(user).post(url, body, content_type="application/json")


def test_a_vaccinator_immunizes_and_tags_in_one_step(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    preview = _post(
        stocked_vaccinator, _body(pig_farm, f"{pig(1)}-{pig(10)}"), "/api/v1/immunizations/preview"
    )
    assert (
        preview.json()["summary"]
        == f"已佩标畜禽 0 头（只），新佩耳标 10 枚（{pig(1)}-{pig(10)}）。"
    )
    assert not Tag.objects.exists()
    response = _post(stocked_vaccinator, _body(pig_farm, f"{pig(1)}-{pig(10)}"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == f"MY220102{timezone.localdate().year}000001"
    assert (body["count"], body["vaccinator_number"], body["owner_name"]) == (10, "31", "王五")
    assert (body["manufacturer"], body["protection_days"], body["diseases"]) == (
        "中牧实业股份有限公司",
        180,
        ["fmd_o"],
    )
    assert Animal.objects.filter(premises=pig_farm).count() == 10
    assert set(AnimalTag.objects.values_list("ear", "reason", "source_holder")) == {
        ("left", "first", f"vaccinator:{stocked_vaccinator.pk}")
    }
    assert Tag.objects.get(number=int(pig(5))).state == "applied"
    held = sum(h.count for h in Holding.objects.filter(vaccinator=stocked_vaccinator))
    assert held == 90
    assert TagEvent.objects.filter(kind="applied").count() == 1
    booster = _post(
        stocked_vaccinator,
        _body(pig_farm, f"{pig(1)}-{pig(5)}", campaign="autumn", batch_number="B2026-02"),
    )
    assert booster.json()["count"] == 5
    assert Animal.objects.count() == 10


def test_every_wrong_session_field_is_reported(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    cattle_only = Vaccine.objects.get(name="口蹄疫O型、A型二价灭活疫苗")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _post(
        stocked_vaccinator,
        _body(
            pig_farm,
            pig(1),
            vaccine_id=cattle_only.pk,
            batch_number=" ",
            vaccinated_on=tomorrow,
            age_unit="",
        ),
    )
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {
        "vaccine": ["口蹄疫O型、A型二价灭活疫苗 不适用于猪。"],
        "batch_number": ["请填写疫苗包装上的批号。"],
        "vaccinated_on": ["日期不能晚于今天。"],
        "age_unit": ["请说明畜龄单位是天还是月。"],
    }
    assert not Tag.objects.exists()


def test_every_tag_that_cannot_be_applied_comes_back_at_once_in_a_vaccinators_words(
    stocked_vaccinator: User, pig_farm: Premises, make_premises: Any, station: Agency
) -> None:
    other_county = "122010300000001"
    cattle_tag = "222010200000001"
    refused = _post(
        stocked_vaccinator,
        _body(pig_farm, f"{pig(95)}-{pig(105)} {cattle_tag} {other_county} {pig(5000)}"),
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["message"] == "免疫未能登记。"
    assert _problems(body) == [
        (f"{pig(101)}-{pig(105)}", [f"仍在{station.name}，尚未发给您"]),
        (pig(5000), ["从未登记：可能是伪造耳标"]),
        (other_county, ["从未登记：可能是伪造耳标"]),
        (cattle_tag, ["不是猪耳标"]),
    ]
    assert not Tag.objects.exists()
    _post(stocked_vaccinator, _body(pig_farm, pig(1)))
    other_farm = make_premises(township="220102001", stock={"pig": 5})
    again = _post(stocked_vaccinator, _body(other_farm, pig(1)))
    assert _problems(again.json()) == [(pig(1), ["佩戴在其他养殖场户的畜禽上"])]
    assert Animal.objects.count() == 1


def test_a_tag_of_another_county_is_named_so(
    stocked_vaccinator: User, pig_farm: Premises, make_user: MakeUser
) -> None:
    neighbour = make_user("220103", (Role.COUNTY_OFFICER,))
    tags_register(
        actor=neighbour,
        rows=[
            RegistrationRow(
                line=2,
                species="pig",
                first="122010300000001",
                last="122010300000010",
                quantity="10",
            )
        ],
    )
    refused = _post(stocked_vaccinator, _body(pig_farm, "122010300000001-122010300000002"))
    assert _problems(refused.json()) == [("122010300000001-122010300000002", ["另一县的耳标"])]


def test_tagged_animals_never_exceed_the_stock(
    stocked_vaccinator: User, make_premises: Any
) -> None:
    small = make_premises(name="小户", township="220102001", kind="household", stock={"pig": 3})
    response = _post(stocked_vaccinator, _body(small, f"{pig(1)}-{pig(4)}"))
    assert response.status_code == 422
    assert _problems(response.json()) == [
        ("", ["小户的猪存栏 3，已佩标 0，再佩标 4 将超过存栏。请先登记存栏变动。"])
    ]
    assert _post(stocked_vaccinator, _body(small, f"{pig(1)}-{pig(3)}")).status_code == 201


def test_animals_are_tagged_at_farms_and_households_only(
    stocked_vaccinator: User, make_premises: Any
) -> None:
    abattoir = make_premises(name="南岭屠宰场", township="220102001", kind="slaughterhouse")
    refused = _post(stocked_vaccinator, _body(abattoir, pig(1)))
    assert (refused.status_code, refused.json()["code"]) == (422, "not_a_farm")
    assert refused.json()["message"] == "只在养殖场户为畜禽佩标，不能在屠宰场佩标。"


def test_a_scale_farm_tags_its_own_animals_from_its_tags(
    stocked_vaccinator: User, pig_farm: Premises, station_officer: User
) -> None:
    tags_issue(
        actor=station_officer,
        target=Holder(premises=pig_farm),
        species="pig",
        selection=Selection(ranges=f"{pig(401)}-{pig(420)}"),
    )
    response = _post(stocked_vaccinator, _body(pig_farm, f"{pig(401)}-{pig(405)} {pig(1)}"))
    assert response.status_code == 201, response.json()
    sources = dict(AnimalTag.objects.values_list("tag_id", "source_holder"))
    assert sources[int(pig(401))] == f"premises:{pig_farm.code}"
    assert sources[int(pig(1))] == f"vaccinator:{stocked_vaccinator.pk}"


def test_only_vaccinators_of_the_jurisdiction_immunize(
    stocked_vaccinator: User,
    pig_farm: Premises,
    make_user: MakeUser,
    outsider: User,
    county_officer: User,
) -> None:
    assert _post(county_officer, _body(pig_farm, pig(1))).status_code == 403
    other_township = make_user("220102002", (Role.VACCINATOR,), vaccinator_number="32")
    assert _post(other_township, _body(pig_farm, pig(1))).status_code == 404
    assert _post(outsider, _body(pig_farm, pig(1))).status_code == 404
    assert (
        client_for(None)
        .post("/api/v1/immunizations", {}, content_type="application/json")
        .status_code
        == 401
    )
    assert not ImmunizationRecord.objects.exists()


def test_records_are_listed_within_the_jurisdiction(
    vaccinate: Callable[..., ImmunizationRecord],
    county_officer: User,
    outsider: User,
    pig_farm: Premises,
) -> None:
    vaccinate(f"{pig(1)}-{pig(3)}", timezone.localdate())
    mine = client_for(county_officer).get(f"/api/v1/immunizations?premises={pig_farm.code}").json()
    assert mine["count"] == 1
    assert client_for(outsider).get("/api/v1/immunizations").json()["count"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_vaccinators_applying_the_same_tags_at_once_leave_one_winner(
    make_user: MakeUser, pig_farm: Premises, stocked_vaccinator: User, station_officer: User
) -> None:
    second = make_user("220102001", (Role.VACCINATOR,), vaccinator_number="33")
    tags_issue(
        actor=station_officer,
        target=Holder(premises=pig_farm),
        species="pig",
        selection=Selection(ranges=f"{pig(401)}-{pig(410)}"),
    )

    def attempt(user: User) -> Callable[[], str]:
        def apply() -> str:
            tags_apply(
                actor=user,
                premises=pig_farm,
                species="pig",
                numbers=RangeSet(((int(pig(401)), int(pig(410))),)),
            )
            return "applied"

        return apply

    results = sorted(
        race(
            [attempt(stocked_vaccinator), attempt(second)],
            hold="earmark.immunization.services.tagging.audit_record",
        )
    )
    # The loser either waited and found the tags gone, or saw them applied already.
    assert results.count("applied") == 1
    assert set(results) - {"applied"} <= {"tags_not_held", "tags_already_used"}
    assert Tag.objects.count() == 10
    assert Animal.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_two_sessions_on_one_farm_at_once_never_tag_beyond_its_stock(
    stocked_vaccinator: User, make_premises: Any
) -> None:
    # Room for six: four and four fit one at a time, never both.
    small = make_premises(name="小户", township="220102001", kind="household", stock={"pig": 6})

    def attempt(tags: str) -> Callable[[], str]:
        def record() -> str:
            answer = _post(stocked_vaccinator, _body(small, tags))
            return "recorded" if answer.status_code == 201 else answer.json()["code"]

        return record

    results = sorted(
        race(
            [attempt(f"{pig(1)}-{pig(4)}"), attempt(f"{pig(5)}-{pig(8)}")],
            hold="earmark.immunization.services.records.audit_record",
        )
    )
    assert results == ["immunization_refused", "recorded"]
    assert Animal.objects.filter(premises=small).count() == 4


def test_a_tag_is_applied_once_even_when_asked_past_the_sessions_review(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    numbers = RangeSet(((int(pig(1)), int(pig(3))),))
    tags_apply(actor=stocked_vaccinator, premises=pig_farm, species="pig", numbers=numbers)
    with pytest.raises(BusinessError) as refused:
        tags_apply(actor=stocked_vaccinator, premises=pig_farm, species="pig", numbers=numbers)
    assert refused.value.code == "tags_already_used"
    assert str(refused.value.message) == (f"耳标只能佩戴一次，以下耳标已使用：{pig(1)}-{pig(3)}。")


def test_a_session_is_not_dated_before_its_tags_reached_the_vaccinator(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    # The vaccinator received the tags 250 days ago (see the fixture).
    too_early = (timezone.localdate() - timedelta(days=300)).isoformat()
    refused = _post(stocked_vaccinator, _body(pig_farm, pig(1), vaccinated_on=too_early))
    assert refused.status_code == 422
    assert refused.json()["detail"]["fields"]["vaccinated_on"][0].endswith(
        "已有记录，免疫日期不能早于此。"
    )
    earlier = timezone.localdate() - timedelta(days=20)
    done = _post(stocked_vaccinator, _body(pig_farm, pig(1), vaccinated_on=earlier.isoformat()))
    assert done.status_code == 201, done.json()
    record = ImmunizationRecord.objects.get()
    # The moment of a session of an earlier day is the end of that day.
    moment = timezone.localtime(record.vaccinated_at)
    assert (moment.date(), moment.hour, moment.minute) == (earlier, 23, 59)
    assert AnimalTag.objects.get().applied_at == record.vaccinated_at


def test_tags_applied_need_their_disinfection_and_pliers_the_vaccinator_holds(
    stocked_vaccinator: User,
    pig_farm: Premises,
    county_officer: User,
    station: Agency,
    station_officer: User,
) -> None:
    """Art. 15: tags and pliers are disinfected for use; the session names the pliers used."""
    bare = _post(stocked_vaccinator, _body(pig_farm, pig(1), disinfection=" "))
    assert bare.json()["detail"]["fields"]["disinfection"] == [
        "请记录耳标和耳标钳的消毒方式（农业部令第13号第十五条）。"
    ]
    pliers_register(actor=county_officer, serials=["NG-1", "NG-2"])
    pliers_issue(actor=county_officer, serials=["NG-1", "NG-2"], target=Holder(agency=station))
    pliers_issue(
        actor=station_officer, serials=["NG-1"], target=Holder(vaccinator=stocked_vaccinator)
    )
    not_held = _post(stocked_vaccinator, _body(pig_farm, pig(1), pliers="NG-2"))
    assert not_held.json()["detail"]["fields"]["pliers"] == ["您未持有耳标钳 NG-2。"]
    assert not Tag.objects.exists()
    done = _post(stocked_vaccinator, _body(pig_farm, pig(1), pliers="NG-1"))
    assert done.status_code == 201, done.json()
    assert (done.json()["disinfection"], done.json()["pliers"]) == ("75%酒精浸泡消毒", "NG-1")
    # Vaccinating an animal tagged already uses no tag: no disinfection asked.
    again = _post(
        stocked_vaccinator, _body(pig_farm, pig(1), disinfection="", batch_number="B2026-02")
    )
    assert again.status_code == 201, again.json()
