"""Order 13 art. 9 and 14, whole: every record states the animals' age and the vaccine's seller;
a session is recorded once whatever key it comes with; an animal brought in from another county
is re-immunized with a right-ear tag, not vaccinated on its old one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import client_for, race
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.immunization.fixtures import ART9, fmd_pig
from earmark.immunization.models import Animal, ImmunizationRecord
from earmark.immunization.services.records import Session, immunization_record


def _session(premises: Premises, tags: str, **changes: Any) -> dict[str, Any]:
    return {
        "premises": premises.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B2026-21",
        "disinfection": "75%酒精浸泡消毒",
        "tags": tags,
        **ART9,
        **changes,
    }


def _post(user: User, body: dict[str, Any], **headers: str) -> Any:
    return client_for(user).post(
        "/api/v1/immunizations", body, content_type="application/json", headers=headers
    )


def test_a_record_without_the_age_or_the_seller_is_refused(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    refused = _post(stocked_vaccinator, _session(pig_farm, pig(1), age=None, seller=" "))
    assert (refused.status_code, refused.json()["code"]) == (422, "immunization_refused")
    assert refused.json()["detail"]["fields"] == {
        "age": ["请填写畜禽日龄或月龄（第九条）。"],
        "seller": ["请填写疫苗经销单位（第九条）。"],
    }
    page = client_for(stocked_vaccinator).post(
        "/immunize/",
        {
            "premises": pig_farm.code,
            "species": "pig",
            "vaccine": fmd_pig().pk,
            "batch_number": "B1",
            "disinfection": "75%酒精浸泡消毒",
            "vaccinated_on": timezone.localdate().isoformat(),
            "campaign": "routine",
            "age_unit": "days",
            "numbers": pig(1),
            "action": "confirm",
        },
    )
    assert page.content.decode().count("必填") >= 2
    assert not ImmunizationRecord.objects.exists()


def test_an_earlier_record_without_them_is_flagged_not_rewritten(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    record = vaccinate(pig(1), timezone.localdate())
    ImmunizationRecord.objects.filter(pk=record.pk).update(age=None, age_unit="", seller="")
    client = client_for(stocked_vaccinator)
    shown = client.get(f"/immunize/records/{record.number}/").content.decode()
    assert "此记录缺少畜禽日龄、疫苗经销单位" in shown
    listed = client.get(f"/api/v1/immunizations?premises={record.premises.code}").json()
    assert [r["incomplete"] for r in listed["items"]] == [["age", "seller"]]
    assert ImmunizationRecord.objects.get(pk=record.pk).seller == ""


def test_the_same_session_sent_again_without_its_key_is_refused_naming_the_first(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User, pig_farm: Premises
) -> None:
    vaccinate(f"{pig(1)}-{pig(5)}", timezone.localdate() - timedelta(days=40))
    body = _session(pig_farm, f"{pig(1)}-{pig(5)}")
    first = _post(stocked_vaccinator, body, **{"Idempotency-Key": "session-key-0001"})
    assert first.status_code == 201
    same_key = _post(stocked_vaccinator, body, **{"Idempotency-Key": "session-key-0001"})
    assert same_key.json() == first.json()
    again = _post(stocked_vaccinator, body)
    assert (again.status_code, again.json()["code"]) == (409, "immunization_repeated")
    assert again.json()["message"] == (
        f"{pig(1)}-{pig(5)} 已于 {timezone.localdate().isoformat()} 接种同一疫苗的同一批次："
        f"记录 {first.json()['number']}。再次接种请另日或换批次登记。"
    )
    # One animal of the five is enough to make it a repeat.
    overlapping = _post(
        stocked_vaccinator, _session(pig_farm, pig(3)), **{"Idempotency-Key": "session-key-0002"}
    )
    assert overlapping.json()["code"] == "immunization_repeated"
    another_batch = _post(stocked_vaccinator, _session(pig_farm, pig(3), batch_number="B2026-22"))
    assert another_batch.status_code == 201
    assert ImmunizationRecord.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_identical_sessions_at_once_leave_one_record(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User, pig_farm: Premises
) -> None:
    vaccinate(f"{pig(1)}-{pig(5)}", timezone.localdate() - timedelta(days=40))
    numbers = RangeSet(((int(pig(1)), int(pig(5))),))

    def session() -> str:
        immunization_record(
            actor=stocked_vaccinator,
            premises=pig_farm,
            session=Session(
                species="pig",
                vaccine=fmd_pig(),
                batch_number="B2026-31",
                vaccinated_on=timezone.localdate(),
                age=80,
                age_unit="days",
                seller="南关区兽药经营部",
            ),
            numbers=numbers,
        )
        return "ok"

    results = race([session, session], hold="earmark.immunization.services.records.outbox_emit")
    assert sorted(results) == ["immunization_repeated", "ok"]
    assert ImmunizationRecord.objects.filter(batch_number="B2026-31").count() == 1


def test_an_animal_from_another_county_is_re_immunized_not_vaccinated_on_its_old_tag(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User, pig_farm: Premises
) -> None:
    vaccinate(f"{pig(1)}-{pig(2)}", timezone.localdate() - timedelta(days=200))
    # Pig 1 came in from 宽城区 (its record holds the arrival); pig 2 was born here.
    Animal.objects.filter(tags__tag_id=int(pig(1))).update(arrived_from="220103")
    refused = _post(stocked_vaccinator, _session(pig_farm, f"{pig(1)}-{pig(2)}"))
    assert refused.status_code == 422
    assert [(i["ref"], i["problems"]) for i in refused.json()["detail"]["items"]] == [
        (pig(1), ["来自外县或外省：应在右耳加施耳标重新免疫（第十四条），不在此耳标上登记"])
    ]
    reimmunized = client_for(stocked_vaccinator).post(
        f"/api/v1/tags/{pig(1)}/replace",
        {
            "new": pig(60),
            "reason": "reimmunization",
            "vaccine_id": fmd_pig().pk,
            "batch_number": "B2026-21",
            "disinfection": "75%酒精浸泡消毒",
            **ART9,
        },
        content_type="application/json",
    )
    assert reimmunized.status_code == 201, reimmunized.json()
    record = ImmunizationRecord.objects.get(campaign="arrival")
    assert (record.age, record.seller) == (35, ART9["seller"])
    # The animal is one animal with both tags; from now on its sessions are recorded.
    later = _post(stocked_vaccinator, _session(pig_farm, pig(60), batch_number="B2026-40"))
    assert later.status_code == 201, later.json()
    trace = client_for(stocked_vaccinator).get(f"/api/v1/animals/{pig(1)}").json()
    assert [t["number"] for t in trace["tags"]] == [pig(1), pig(60)]


@override_settings(EARMARK_REIMMUNIZE_ARRIVALS=False)
def test_a_province_with_one_tag_for_life_switches_the_rule_off(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User, pig_farm: Premises
) -> None:
    vaccinate(pig(1), timezone.localdate() - timedelta(days=200))
    Animal.objects.update(arrived_from="220103")
    assert _post(stocked_vaccinator, _session(pig_farm, pig(1))).status_code == 201
