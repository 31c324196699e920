from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import assert_guarded, client_for
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import ImmunizationRecord


def _form(premises: Premises, numbers: str, action: str) -> dict[str, Any]:
    return {
        "premises": premises.code,
        "species": "pig",
        "vaccine": str(fmd_pig().pk),
        "batch_number": "B2026-07",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        "vaccinated_on": timezone.localdate().isoformat(),
        "campaign": "spring",
        "numbers": numbers,
        "sex": "unknown",
        "action": action,
    }


def test_the_vaccinators_page_previews_then_records(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    client = client_for(stocked_vaccinator)
    page = client.get(f"/immunize/?premises={pig_farm.code}").content.decode()
    assert f'value="{pig_farm.code}" selected' in page
    preview = client.post(
        "/immunize/", _form(pig_farm, f"{pig(1)}-{pig(20)}", "preview")
    ).content.decode()
    assert "新佩耳标 20 枚" in preview and "确认登记" in preview
    assert not ImmunizationRecord.objects.exists()
    done = client.post(
        "/immunize/", _form(pig_farm, f"{pig(1)}-{pig(20)}", "confirm"), follow=True
    ).content.decode()
    record = ImmunizationRecord.objects.get()
    assert f"免疫档案 {record.number} 已登记：20 头（只）。" in done
    assert pig(20) in done
    history = client.get(f"/premises/{pig_farm.code}/immunizations").content.decode()
    assert "B2026-07" in history
    assert f"/immunize/records/{record.number}/" in history
    bad = client.post("/immunize/", _form(pig_farm, "12x", "preview")).content.decode()
    assert "部分号码无法识别。" in bad


def test_the_animal_page_shows_protection_and_replaces_a_tag(
    vaccinate: Callable[..., ImmunizationRecord], stocked_vaccinator: User
) -> None:
    vaccinate(pig(1), timezone.localdate())
    client = client_for(stocked_vaccinator)
    page = client.get(f"/animals/{pig(1)}/").content.decode()
    assert "口蹄疫（O型）：保护至" in page
    undisinfected = client.post(f"/animals/{pig(1)}/", {"new": pig(40), "reason": "lost"})
    assert "请记录耳标和耳标钳的消毒方式" in undisinfected.content.decode()
    replaced = client.post(
        f"/animals/{pig(1)}/",
        {"new": pig(40), "reason": "lost", "disinfection": "碘伏擦拭"},
        follow=True,
    ).content.decode()
    assert f"耳标 {pig(40)} 已佩戴于右耳。" in replaced
    assert "右耳" in replaced and "补标" in replaced


def test_a_vaccinator_scanning_the_farm_card_is_sent_to_the_immunization_page(
    stocked_vaccinator: User, pig_farm: Premises
) -> None:
    page = client_for(stocked_vaccinator).get(f"/f/{pig_farm.qr_token}/").content.decode()
    assert 'name="pin"' not in page
    assert f"/immunize/?premises={pig_farm.code}" in page


def test_immunization_endpoints_and_pages_are_guarded(
    vaccinate: Callable[..., ImmunizationRecord], outsider: User, pig_farm: Premises
) -> None:
    record = vaccinate(pig(1), timezone.localdate())
    body = {
        "premises": pig_farm.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "x",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        "numbers": pig(2),
    }
    for method, url, data in (
        ("get", f"/api/v1/animals/{pig(1)}", None),
        ("post", "/api/v1/immunizations", body),
        ("post", "/api/v1/immunizations/preview", body),
        ("get", f"/immunize/records/{record.number}/", None),
        ("get", f"/premises/{pig_farm.code}/immunizations", None),
        ("get", f"/animals/{pig(1)}/", None),
    ):
        assert_guarded(method, url, outsider=outsider, data=data)
    for url in (
        "/api/v1/immunizations",
        "/api/v1/vaccines",
        "/api/v1/compulsory-diseases",
        "/immunize/",
        "/vaccines/",
    ):
        assert_guarded("get", url, outsider=outsider, outsider_status=200)
    assert client_for(outsider).get("/api/v1/immunizations").json()["count"] == 0
    assert ImmunizationRecord.objects.count() == 1
