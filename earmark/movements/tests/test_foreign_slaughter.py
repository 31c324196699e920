"""Animals another province certified, inspected at a slaughterhouse here (#30): the certificate is
received, its tags recovered in this province's records and destroyed with the county's, the
issuing province told — and the other way round, a certificate of ours recovered at another
province's slaughterhouse ends its tags here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.core import signing
from earmark.core.testing import client_for
from earmark.eartags.models import Tag, TagEvent
from earmark.exchange.services.inbound import pull
from earmark.farms.models import Stock
from earmark.immunization.models import Animal
from earmark.movements.models import ForeignReceipt
from earmark.movements.selectors import destruction_pending
from earmark.quarantine.models import Certificate
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.foreign import foreign_certificates_store

FIRST = 123010200000001


def test_a_heilongjiang_certificate_is_inspected_at_a_jilin_slaughterhouse(
    heilongjiang: Neighbour, make_premises: Any, make_user: MakeUser, county_officer: User
) -> None:
    entry = heilongjiang.certificate("231260000300", purpose="slaughter", quantity=5)
    assert foreign_certificates_store([entry]).stored == 1
    abattoir = make_premises(name="南关定点屠宰场", kind="slaughterhouse", stock={})
    vet = make_user("220102", (Role.OFFICIAL_VET,), username="nanguan-vet")
    inspection = {
        "certificate": "231260000300",
        "premises": abattoir.code,
        # One pig's tag was not read; one tag read is not on the certificate.
        "tags": f"{FIRST:015d}-{FIRST + 3:015d} {FIRST + 99:015d}",
        "passed": True,
    }
    client = client_for(vet)
    preview = client.post(
        "/api/v1/slaughter-inspections/preview", inspection, content_type="application/json"
    )
    assert preview.status_code == 200, preview.json()
    assert preview.json()["missing"] == [f"{FIRST + 4:015d}"]
    assert not ForeignReceipt.objects.exists()
    done = client.post("/api/v1/slaughter-inspections", inspection, content_type="application/json")
    assert done.status_code == 201, done.json()
    assert (done.json()["kind"], done.json()["received"]) == (
        "slaughter",
        [f"{FIRST:015d}-{FIRST + 3:015d}"],
    )
    # The tags are recovered here, on slaughtered animals, waiting in the slaughterhouse's stock.
    assert set(Tag.objects.values_list("state", flat=True)) == {"recovered"}
    assert set(Animal.objects.values_list("status", "premises_id")) == {
        ("slaughtered", abattoir.pk)
    }
    assert Stock.objects.get(premises=abattoir, species="pig").quantity == 4
    assert TagEvent.objects.filter(kind="recovered", document_id="231260000300").exists()
    # The county destroys them with its own recovered tags.
    pending = destruction_pending(user=county_officer)
    assert pending.recovered.count == 4
    # Heilongjiang hears, signed: its certificate used, the tags recovered, one tag amiss.
    told = OutboxEvent.objects.get(event_type="foreign_certificate.received").payload
    signed = signing.verify_own(told["signed"])
    assert signed.ok and (signed.fields["k"], signed.fields["r"]) == (
        "slaughter",
        [[FIRST, FIRST + 3]],
    )
    alert = OutboxEvent.objects.get(event_type="alert.raised").payload
    assert alert["problems"] == ["mismatch"]
    # Once only; a checkpoint reads it as used.
    again = client.post(
        "/api/v1/slaughter-inspections", inspection, content_type="application/json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "certificate_already_received")
    checker = make_user("220102", (Role.CHECKPOINT_OFFICER,), username="nanguan-checker")
    checked = client_for(checker).post(
        "/api/v1/checkpoint-checks",
        {"place": "长春南收费站", "payload": entry["payload"]},
        content_type="application/json",
    )
    assert checked.json()["result"] == "used"


def test_a_farm_is_no_slaughterhouse_and_a_failed_inspection_says_what_was_found(
    heilongjiang: Neighbour, make_premises: Any, make_user: MakeUser
) -> None:
    foreign_certificates_store([heilongjiang.certificate("231260000301", purpose="slaughter")])
    farm = make_premises(name="南岭育肥场", stock={"pig": 0})
    abattoir = make_premises(name="南关定点屠宰场", kind="slaughterhouse", stock={})
    vet = make_user("220102", (Role.OFFICIAL_VET,), username="nanguan-vet")

    def inspect(premises: str, **changes: Any) -> Any:
        return client_for(vet).post(
            "/api/v1/slaughter-inspections",
            {
                "certificate": "231260000301",
                "premises": premises,
                "tags": f"{FIRST:015d}-{FIRST + 4:015d}",
                "passed": True,
                **changes,
            },
            content_type="application/json",
        )

    assert inspect(farm.code).json()["code"] == "wrong_premises_kind"
    assert inspect(abattoir.code, passed=False).json()["detail"]["fields"] == {
        "findings": ["请说明检查发现的情况。"]
    }
    failed = inspect(abattoir.code, passed=False, findings="2号猪体表出血点，疑似非洲猪瘟")
    assert failed.status_code == 201, failed.json()
    alert = OutboxEvent.objects.get(event_type="alert.raised").payload
    assert alert["problems"] == ["disease"]
    assert "屠宰检疫不合格" in alert["message"]


def test_a_certificate_of_ours_recovered_at_another_province_s_slaughterhouse_ends_here(
    heilongjiang: Neighbour, certify: Callable[..., Certificate]
) -> None:
    outbound = certify(
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市双城区定点屠宰场",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    ranges = tuple(tuple(r) for r in outbound.ranges.values_list("first", "last"))
    numbers = [n for a, b in ranges for n in range(a, b + 1)]
    assert set(Tag.objects.filter(number__in=numbers).values_list("state", flat=True)) == {
        "in_transit"
    }
    receipt = heilongjiang.receipt(outbound.number, slaughter=True, recovered=ranges)  # type: ignore[arg-type]

    def fetch(path: str) -> Any:
        return {"receipts": [receipt]} if path.startswith("/receipts") else {}

    pull(fetch)
    outbound.refresh_from_db()
    assert outbound.status == "used"
    assert set(Tag.objects.filter(number__in=numbers).values_list("state", flat=True)) == {
        "recovered"
    }
    event = TagEvent.objects.filter(kind="recovered", document_id=outbound.number).get()
    assert event.holder.startswith("黑龙江省 ")
    assert set(
        Animal.objects.filter(tags__tag_id__in=numbers).values_list("status", flat=True)
    ) == {"slaughtered"}
