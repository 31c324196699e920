from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.testing import assert_guarded, client_for, with_forged_signature
from earmark.eartags.fixtures import pig
from earmark.farms.models import Premises
from earmark.farms.services.credentials import premises_pin_issue
from earmark.quarantine.models import Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def _form(numbers: str, quantity: int = 10) -> dict[str, str]:
    departure = timezone.localtime() + timedelta(hours=12)
    return {
        "species": "pig",
        "quantity": str(quantity),
        "purpose": "slaughter",
        "destination_province": "220000",
        "destination_county": "220113",
        "destination_region": "",
        "destination_address": "九台区定点屠宰场",
        "planned_departure": departure.strftime("%Y-%m-%dT%H:%M"),
        "carrier_name": "赵运输",
        "carrier_phone": "13700001111",
        "vehicle_plate": "吉A12345",
        "numbers": numbers,
    }


def _farmer(ready_farm: Premises, county_officer: User) -> Client:
    pin = premises_pin_issue(actor=county_officer, premises=ready_farm)
    farmer = Client()
    farmer.post(f"/f/{ready_farm.qr_token}/", {"pin": pin})
    return farmer


def test_a_farm_declares_from_its_qr_page_and_sees_the_outcome(
    ready_farm: Premises, county_officer: User, station_officer: User, vet: User
) -> None:
    farmer = _farmer(ready_farm, county_officer)
    url = f"/f/{ready_farm.qr_token}/declare"
    assert Client().get(url).status_code == 302  # no PIN, no form
    refused = farmer.post(url, _form(f"{pig(1)}-{pig(9)} 122010299990001")).content.decode()
    assert "申报未提交" not in refused  # the form shows the problems themselves
    assert "122010299990001" in refused and "从未登记：可能是伪造耳标" in refused
    assert not Declaration.objects.exists()
    done = farmer.post(url, _form(f"{pig(1)}-{pig(10)}"), follow=True).content.decode()
    declaration = Declaration.objects.get()
    assert f"申报 {declaration.number} 已提交。" in done
    assert "已申报" in done
    declaration_decide(
        actor=station_officer, declaration=declaration, accept=False, reason="请改天申报"
    )
    assert "请改天申报" in farmer.get(f"/f/{ready_farm.qr_token}/").content.decode()


def test_the_farm_downloads_its_certificate(
    ready_farm: Premises,
    county_officer: User,
    station_officer: User,
    vet: User,
    declared: Callable[..., Declaration],
) -> None:
    declaration = declared()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    farmer = _farmer(ready_farm, county_officer)
    page = farmer.get(f"/f/{ready_farm.qr_token}/").content.decode()
    link = f"/f/{ready_farm.qr_token}/certificates/{certificate.number}.pdf"
    assert link in page
    assert farmer.get(link)["Content-Type"] == "application/pdf"
    assert Client().get(link).status_code == 302


def test_the_station_and_the_vet_work_through_the_pages(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = declared()
    station = client_for(station_officer)
    queue = station.get("/quarantine/").content.decode()
    assert declaration.number in queue and 'hx-trigger="every 20s"' in queue
    rows = station.get("/quarantine/", HTTP_HX_REQUEST="true").content.decode()
    assert declaration.number in rows and "<html" not in rows
    station.post(f"/quarantine/declarations/{declaration.number}/", {"action": "accept"})
    vet_client = client_for(vet)
    vet_client.post(
        f"/quarantine/declarations/{declaration.number}/", {"action": "inspect", "passed": "yes"}
    )
    page = vet_client.get(f"/quarantine/declarations/{declaration.number}/").content.decode()
    departure = timezone.localtime(declaration.planned_departure).date().isoformat()
    # The vet sees the default validity: the departure day, for a journey within the county.
    assert f'value="{departure}"' in page and f"最长至 {departure}" in page
    issued = vet_client.post(
        f"/quarantine/declarations/{declaration.number}/",
        {"action": "issue", "valid_until": departure, "transport_mode": "road"},
        follow=True,
    ).content.decode()
    assert "已出具" in issued and "/pdf" in issued


def test_the_station_declares_for_a_farm_by_telephone(
    ready_farm: Premises, station_officer: User
) -> None:
    response = client_for(station_officer).post(
        f"/premises/{ready_farm.code}/declare", _form(f"{pig(1)}-{pig(10)}")
    )
    assert response.status_code == 302
    assert Declaration.objects.get().channel == "officer"


def test_the_public_verification_page_shows_status_but_no_personal_data(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = declared()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    certificate = certificate_issue(actor=vet, declaration=declaration)
    page = (
        Client().get(f"/verify/{certificate.number}/", {"p": certificate.payload}).content.decode()
    )
    assert "有效" in page and "二维码真实有效" in page
    assert certificate.owner_phone not in page and certificate.owner_name not in page
    altered = with_forged_signature(certificate.payload)
    forged = Client().get(f"/verify/{certificate.number}/", {"p": altered}).content.decode()
    assert "二维码与记录不符" in forged
    assert Client().get("/verify/229999999999/").status_code == 404


def test_quarantine_pages_and_endpoints_are_guarded(
    declared: Callable[..., Declaration], outsider: User, ready_farm: Premises
) -> None:
    declaration = declared()
    for method, url, data in (
        ("get", f"/quarantine/declarations/{declaration.number}/", None),
        ("post", f"/quarantine/declarations/{declaration.number}/", {"action": "accept"}),
        ("get", f"/premises/{ready_farm.code}/declare", None),
        ("post", f"/api/v1/declarations/{declaration.number}/reject", {"reason": "x"}),
        ("post", f"/api/v1/declarations/{declaration.number}/inspect", {"passed": True}),
        ("post", "/api/v1/certificates", {"declaration": declaration.number}),
    ):
        assert_guarded(method, url, outsider=outsider, data=data)
    assert_guarded("get", "/quarantine/", outsider=outsider, outsider_status=200)
    assert declaration.number not in client_for(outsider).get("/quarantine/").content.decode()
    declaration.refresh_from_db()
    assert declaration.status == "submitted"


def test_the_home_pages_count_the_work_waiting(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    declaration = declared()
    assert "<dt>待受理申报</dt><dd>1</dd>" in client_for(station_officer).get("/").content.decode()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    home = client_for(vet).get("/").content.decode()
    assert "<dt>待检疫申报</dt><dd>1</dd>" in home and "<dt>待出证</dt><dd>0</dd>" in home
