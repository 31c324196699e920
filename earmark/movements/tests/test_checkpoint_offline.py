"""What a checkpoint's phone keeps for offline checks, and the upload of a check made offline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.core import signing
from earmark.core.testing import client_for
from earmark.movements.models import CheckpointCheck
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.certificates import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user: MakeUser) -> User:
    return make_user("220113", (Role.CHECKPOINT_OFFICER,), username="jiutai-checkpoint")


def test_the_snapshot_holds_the_key_that_checks_payloads_and_the_revoked_certificates(
    officer: User, certified: Certificate, vet: User
) -> None:
    client = client_for(officer)
    before = client.get("/api/v1/checkpoint-checks/snapshot").json()
    assert before["revoked"] == []
    key = Ed25519PublicKey.from_public_bytes(signing._unb64(before["public_key"]))
    body, signature = certified.payload.split(".")
    key.verify(signing._unb64(signature), signing._unb64(body))  # raises if it does not hold
    assert before["key_id"] == signing.key_id(key)
    certificate_revoke(actor=vet, certificate=certified, reason="车辆变更")
    assert client.get("/api/v1/checkpoint-checks/snapshot").json()["revoked"] == [certified.number]


def test_only_checkpoint_officers_take_the_snapshot(vet: User, make_user: MakeUser) -> None:
    assert client_for(vet).get("/api/v1/checkpoint-checks/snapshot").status_code == 403
    assert client_for(None).get("/api/v1/checkpoint-checks/snapshot").status_code == 401


def test_a_check_made_offline_keeps_its_time_and_one_from_the_future_is_refused(
    officer: User, certified: Certificate
) -> None:
    client = client_for(officer)
    earlier = timezone.now() - timedelta(hours=5)
    sent = client.post(
        "/api/v1/checkpoint-checks",
        {
            "place": "九台收费站",
            "number": certified.number,
            "checked_at": earlier.isoformat(),
            "offline": True,
        },
        content_type="application/json",
    )
    assert sent.status_code == 201
    check = CheckpointCheck.objects.get()
    assert check.offline and abs(check.checked_at - earlier) < timedelta(seconds=1)
    for when in (timezone.now() + timedelta(hours=2), timezone.now() - timedelta(days=31)):
        refused = client.post(
            "/api/v1/checkpoint-checks",
            {"place": "九台收费站", "number": certified.number, "checked_at": when.isoformat()},
            content_type="application/json",
        )
        assert refused.status_code == 400, refused.content
        assert "checked_at" in str(refused.json())
    assert CheckpointCheck.objects.count() == 1
