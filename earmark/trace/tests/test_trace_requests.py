"""Investigations across the border (#30): an investigation that reaches animals another
province certified asks that province which farms they passed, and the answer joins it; asked
by another province about certificates of ours, this one traces them, alerts their origin
county and answers — only the province the animals went to may ask."""

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
from earmark.eartags.fixtures import pig
from earmark.exchange.models import HeldEvent
from earmark.exchange.services.inbound import pull
from earmark.movements.models import Alert
from earmark.quarantine.models import Certificate
from earmark.quarantine.neighbour import Neighbour
from earmark.quarantine.services.foreign import foreign_certificates_store
from earmark.trace.models import TraceRequest


def answers(**lists: list[Any]) -> Callable[[str], Any]:
    def fetch(path: str) -> Any:
        name = path.strip("/").partition("?")[0]
        key = {"trace-requests": "requests", "trace-answers": "answers"}.get(name, name)
        return {key: lists.get(key, [])}

    return fetch


def test_an_investigation_asks_the_province_that_certified_the_animals(
    heilongjiang: Neighbour, make_premises: Any, make_user: MakeUser, county_officer: User
) -> None:
    foreign_certificates_store([heilongjiang.certificate("231260000400")])
    farm = make_premises(name="南岭育肥场", stock={"pig": 0})
    receiver = make_user("220102", (Role.DESTINATION_STAFF,), username="farm-receiver")
    client_for(receiver).post(
        "/api/v1/foreign-arrivals",
        {
            "certificate": "231260000400",
            "premises": farm.code,
            "tags": "123010200000001-123010200000005",
        },
        content_type="application/json",
    )
    opened = client_for(county_officer).post(
        "/api/v1/investigations",
        {"reason": "疑似非洲猪瘟", "tag": "123010200000003"},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.json()
    number = opened.json()["number"]
    question = TraceRequest.objects.get()
    assert (question.direction, question.province, question.certificates) == (
        "sent",
        "230000",
        ["231260000400"],
    )
    asked = OutboxEvent.objects.get(event_type="trace.requested").payload
    signed = signing.verify_own(asked["signed"])
    assert signed.ok and (signed.fields["to"], signed.fields["c"]) == ("230000", ["231260000400"])
    # Heilongjiang answers; a province not asked cannot.
    farms = [
        {"code": "230102000017", "name": "兴旺养殖场", "kind": "farm", "county": "230102", "hop": 0}
    ]
    liaoning = Neighbour("210000")
    pull(
        answers(
            answers=[
                liaoning.trace_answer(str(question.key), farms),
                heilongjiang.trace_answer(str(question.key), farms),
            ]
        )
    )
    assert HeldEvent.objects.get().reason == "untrusted_key"
    question.refresh_from_db()
    assert question.answered_at is not None and question.answer == farms
    shown = client_for(county_officer).get(f"/api/v1/investigations/{number}").json()
    assert shown["requests"][0]["farms"][0]["name"] == "兴旺养殖场"
    page = client_for(county_officer).get(f"/trace/investigations/{number}/").content.decode()
    assert "黑龙江省" in page and "兴旺养殖场" in page


def test_a_question_from_the_province_the_animals_went_to_is_answered(
    heilongjiang: Neighbour, certify: Callable[..., Certificate], county_officer: User
) -> None:
    outbound = certify(
        destination_province="230000",
        destination_region="",
        destination_address="黑龙江省哈尔滨市双城区",
        planned_departure=timezone.now() + timedelta(days=1),
    )
    stay = certify(numbers=f"{pig(11)}-{pig(20)}")
    pull(
        answers(
            requests=[
                # About a certificate that stayed in Jilin: not Heilongjiang's to ask.
                heilongjiang.trace_question(
                    [stay.number], key="6f1c1d6e-0000-4000-8000-00000000000a"
                ),
                heilongjiang.trace_question([outbound.number]),
            ]
        )
    )
    assert HeldEvent.objects.get().reason == "not_a_party"
    question = TraceRequest.objects.get(direction="received")
    assert question.province == "230000" and question.certificates == [outbound.number]
    assert outbound.premises.code in [f["code"] for f in question.answer]
    # The origin county is told; the answer goes back, signed.
    alert = Alert.objects.get(kind="investigation")
    assert (alert.county_id, alert.certificate_id, alert.from_province) == (
        outbound.county_code,
        outbound.pk,
        "230000",
    )
    assert alert.message.startswith("黑龙江省的调查 DC2301")
    told = OutboxEvent.objects.get(event_type="trace.answered").payload
    assert signing.verify_own(told["signed"]).fields["f"] == question.answer
    # Asked again, nothing new.
    pull(answers(requests=[heilongjiang.trace_question([outbound.number])]))
    assert TraceRequest.objects.filter(direction="received").count() == 1
    listed = client_for(county_officer).get("/api/v1/alerts").json()["items"]
    assert any(a["kind"] == "investigation" for a in listed)
