"""Farm veterinarians (Order 13 art. 13): approved by the county for one farm, some species and
a period, they immunize and tag that farm's animals with the farm's tags — and reach nothing
else of the township around it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Agency, Role, User
from earmark.accounts.services import user_create
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for, get_answers
from earmark.eartags.fixtures import Register, pig
from earmark.eartags.holders import Holder
from earmark.eartags.services.issuing import Selection, tags_issue
from earmark.farms.fixtures import MakePremises
from earmark.farms.models import Premises
from earmark.farms.services.changes import premises_verify
from earmark.immunization.fixtures import fmd_pig
from earmark.immunization.models import ImmunizationRecord

# Where a farm's veterinarian may go (the immunization form and what it needs).
ALLOWED = {
    "/api/v1/me",
    "/api/v1/immunizations",
    "/api/v1/vaccines",
    "/api/v1/diseases",
}


def _session(premises: Premises, numbers: str, **extra: Any) -> dict[str, Any]:
    return {
        "premises": premises.code,
        "species": "pig",
        "vaccine_id": fmd_pig().pk,
        "batch_number": "B2026-30",
        "disinfection": "75%酒精浸泡消毒",
        "age": 35,
        "age_unit": "days",
        "seller": "南关区兽药经营部",
        "tags": numbers,
        **extra,
    }


def _post(user: User, path: str, body: dict[str, Any]) -> Any:
    return client_for(user).post(f"/api/v1{path}", body, content_type="application/json")


def test_a_farm_vet_tags_his_farm_only_and_reaches_nothing_else(
    county_officer: User,
    station: Agency,
    station_officer: User,
    register: Register,
    make_premises: MakePremises,
    make_user: MakeUser,
) -> None:
    farm = premises_verify(
        actor=county_officer,
        premises=make_premises(name="宏达规模猪场", township="220102001", stock={"pig": 50}),
    )
    neighbour = premises_verify(
        actor=county_officer,
        premises=make_premises(name="邻场", township="220102001", stock={"pig": 50}),
    )
    register((1, 1000, "A1", "01"))
    tags_issue(
        actor=county_officer,
        target=Holder(agency=station),
        species="pig",
        selection=Selection(count=500),
    )
    tags_issue(
        actor=station_officer,
        target=Holder(premises=farm),
        species="pig",
        selection=Selection(count=100),
    )
    vet = make_user("220102001", (Role.FARM_VET,), username="hongda-vet")
    # A farm veterinarian holds no staff role besides.
    try:
        user_create(
            actor=county_officer,
            agency=station,
            username="mixed",
            password="a-long-password-1",
            roles=[Role.FARM_VET, Role.VACCINATOR],
            vaccinator_number="44",
        )
    except BusinessError as error:
        assert error.detail["fields"]["roles"] == ["场内兽医受雇于养殖场，不兼任其他角色。"]
    else:
        raise AssertionError("a farm vet with a staff role was created")

    # Before any approval, nothing.
    assert _post(vet, "/immunizations", _session(farm, pig(1))).status_code == 403
    today = timezone.localdate()
    approval = {
        "premises": farm.code,
        "username": "hongda-vet",
        "certificate_number": "A2201020001",
        "species": ["pig"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat(),
    }
    assert _post(station_officer, "/farm-vets", approval).status_code == 403
    unverified = make_premises(name="未审核场", township="220102001")
    refused = _post(county_officer, "/farm-vets", {**approval, "premises": unverified.code})
    assert refused.json()["detail"]["fields"]["premises"] == ["养殖场基础信息须先审核通过。"]
    approved = _post(county_officer, "/farm-vets", approval)
    assert approved.status_code == 201, approved.json()
    assert _post(county_officer, "/farm-vets", approval).status_code == 409

    # His farm, with the farm's tags: recorded in his name, without a vaccinator number.
    done = _post(vet, "/immunizations", _session(farm, f"{pig(1)}-{pig(5)}"))
    assert done.status_code == 201, done.json()
    record = ImmunizationRecord.objects.get(number=done.json()["number"])
    assert (record.vaccinator, record.vaccinator_number, record.count) == (vet, "", 5)
    # Not the neighbour's farm, not cattle, not a day before the approval.
    assert _post(vet, "/immunizations", _session(neighbour, pig(6))).status_code == 403
    cattle = _post(vet, "/immunizations", _session(farm, pig(6), species="cattle"))
    assert cattle.json()["code"] == "not_approved"
    early = (today - timedelta(days=1)).isoformat()
    before = _post(vet, "/immunizations", _session(farm, pig(6), vaccinated_on=early))
    assert before.json()["code"] == "not_approved"

    # Every other operation and page is closed to him, generated from the document and the
    # form's own page is open.
    document = client_for(None).get("/api/v1/openapi.json").json()
    client = client_for(vet)
    anonymous = client_for(None)
    for path, _operation, _schema in get_answers(document):
        # Public operations and the farm's own channel (a farm's token) are not staff's.
        if "{" in path or anonymous.get(path).status_code != 401 or path.startswith("/api/v1/farm"):
            continue
        status = client.get(path).status_code
        assert (status != 403) == (path in ALLOWED), (path, status)
    for url in ("/premises/", "/tags/", "/trace/anomalies/", "/rollout/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/").url == "/immunize/"
    form = client.get("/immunize/").content.decode()
    assert "宏达规模猪场" in form and "邻场" not in form
    # His menu offers what he may open, nothing else.
    assert 'href="/premises/"' not in form and 'href="/immunize/"' in form
    # His own records only.
    listed = client.get("/api/v1/immunizations").json()
    assert [r["number"] for r in listed["items"]] == [record.number]

    # Revoked, he tags no more.
    approval_id = approved.json()["id"]
    revoked = _post(county_officer, f"/farm-vets/{approval_id}/revoke", {"reason": "离职"})
    assert revoked.json()["status"] == "revoked"
    assert _post(vet, "/immunizations", _session(farm, pig(7))).status_code == 403
    page = client_for(county_officer).get("/immunize/farm-vets/").content.decode()
    assert "宏达规模猪场" in page and "离职" in page
