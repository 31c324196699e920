"""Another province's animals are refused at arrival for what would refuse our own — a
certificate past its validity — and for what only theirs can bring: numbers this province knows
already, a species it does not follow. (The certificates are stored as the exchange stores
them; the two-province tests take them through the platform.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core import signing
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.quarantine.models import Certificate, ForeignCertificate

HEILONGJIANG_TAGS = [[123010200000001, 123010200000005]]


def _stored(number: str, *, species: str = "pig", tags: Any = None, days: int = 2) -> None:
    today = timezone.localdate()
    first, last = (tags or HEILONGJIANG_TAGS)[0]
    payload = signing.sign(
        {
            "v": 1,
            "n": number,
            "k": "A",
            "sp": species,
            "q": 5,
            "o": "230102000001",
            "ot": "230102001",
            "d": "220102",
            "pl": "黑A12345",
            "i": today.isoformat(),
            "u": (today + timedelta(days=days)).isoformat(),
            "t": f"{first}-{last}",
        },
        key=Ed25519PrivateKey.generate(),
    )
    ForeignCertificate.objects.create(
        number=number,
        province="230000",
        payload=payload,
        species=species,
        quantity=5,
        purpose="raising",
        origin="黑龙江省哈尔滨市道里区兴旺养殖场",
        destination="吉林省长春市南关区",
        valid_from=today,
        valid_until=today + timedelta(days=days),
        tags=tags or HEILONGJIANG_TAGS,
    )


@pytest.fixture
def receiver(make_user: MakeUser) -> User:
    return make_user("220102", (Role.DESTINATION_STAFF,), username="nanguan-receiver")


def _arrive(user: User, number: str, premises: str, tags: str, **extra: Any) -> Any:
    return client_for(user).post(
        "/api/v1/foreign-arrivals",
        {"certificate": number, "premises": premises, "tags": tags, **extra},
        content_type="application/json",
    )


def test_a_certificate_past_its_validity_moves_no_animals(
    receiver: User, make_premises: Any
) -> None:
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    _stored("231260000011", days=1)
    late = (timezone.now() + timedelta(days=3)).isoformat()
    # Reported as arriving after its validity (a report made ahead of time is refused too).
    refused = _arrive(receiver, "231260000011", farm.code, "123010200000001", arrived_at=late)
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_input")
    ForeignCertificate.objects.filter(number="231260000011").update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    expired = _arrive(
        receiver,
        "231260000011",
        farm.code,
        "123010200000001",
        arrived_at=timezone.now().isoformat(),
    )
    assert (expired.status_code, expired.json()["code"]) == (422, "certificate_expired")


def test_numbers_known_here_and_species_not_followed_are_refused(
    receiver: User, make_premises: Any, certified: Certificate
) -> None:
    farm = make_premises(name="南岭育肥场", township="220102001", stock={"pig": 0})
    ours = [[int(pig(1)), int(pig(5))]]
    _stored("231260000012", tags=ours)
    known = _arrive(receiver, "231260000012", farm.code, f"{pig(1)}-{pig(5)}")
    assert (known.status_code, known.json()["code"]) == (422, "tags_already_known")
    assert known.json()["message"] == f"以下耳标已在系统中：{pig(1)}-{pig(5)}。"
    _stored("231260000013", species="camel")
    camels = _arrive(receiver, "231260000013", farm.code, "123010200000001-123010200000005")
    assert (camels.status_code, camels.json()["code"]) == (422, "species_not_followed")
