"""Order 13 art. 29: an alert to a county carries a deadline; unanswered past it, it is overdue
and flagged, to the county and up to the province; and art. 26: no certificate for animals
whose tags are no longer valid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from earmark.accounts.models import User
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.services.usage import tags_transition
from earmark.movements.models import Alert
from earmark.movements.services.alerts import alert_raise
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.services.certificates import certificate_issue
from earmark.quarantine.services.declarations import declaration_decide, declaration_inspect


def test_an_unanswered_alert_becomes_overdue_and_is_flagged(
    certified: Certificate, vet: User, county_officer: User, province_admin: User
) -> None:
    alert = alert_raise(
        actor=vet,
        kind=Alert.Kind.MISMATCH,
        certificate=certified,
        message="到达时耳标与证明不符",
        extra={},
    )
    assert abs(alert.respond_by - alert.raised_at - timedelta(days=3)) < timedelta(seconds=1)
    county = client_for(county_officer)
    body = county.get("/api/v1/alerts?open=true").json()["items"][0]
    assert body["overdue"] is False and body["respond_by"]
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        overdue = county.get("/api/v1/alerts?overdue=true").json()
        assert [a["id"] for a in overdue["items"]] == [alert.pk]
        assert overdue["items"][0]["overdue"] is True
        assert "逾期未处理" in county.get("/alerts/").content.decode()
        board = client_for(province_admin).get("/trace/anomalies/").content.decode()
        assert "未按时处理的预警" in board and "到达时耳标与证明不符" in board
        county.post("/alerts/", {"alert": alert.pk, "action_taken": "已核查，耳标登记有误"})
        assert county.get("/api/v1/alerts?overdue=true").json()["count"] == 0


def test_no_certificate_for_animals_whose_tags_are_no_longer_valid(
    declared: Callable[..., Declaration], station_officer: User, vet: User
) -> None:
    """Art. 26 cannot happen: a tag lost after the declaration stops its certificate."""
    declaration = declared()
    declaration_decide(actor=station_officer, declaration=declaration, accept=True)
    declaration_inspect(actor=vet, declaration=declaration, passed=True)
    tags_transition(numbers=[int(pig(3))], event="lose", actor=vet)
    with pytest.raises(BusinessError) as refused:
        certificate_issue(actor=vet, declaration=declaration)
    assert refused.value.code == "review_failed"
    assert pig(3) in str(refused.value.detail)
    assert not declaration.certificates.exists()
