"""The outbox reaches the national platform (the shipped simulator) exactly once per event, in
order per aggregate, whatever happens to the platform or the worker."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from earmark.accounts.fixtures import MakeUser
from earmark.accounts.models import Role, User
from earmark.audit.models import OutboxEvent
from earmark.audit.outbox import outbox_emit
from earmark.audit.selectors import audit_chain_verify
from earmark.core.errors import BusinessError
from earmark.core.testing import client_for
from earmark.eartags.fixtures import pig
from earmark.eartags.ranges import RangeSet
from earmark.exchange.simulator import Platform
from earmark.exchange.worker import deliver_batch, run, send_http
from earmark.farms.services.registration import PremisesData, premises_register
from earmark.movements.services.arrivals import arrival_report
from earmark.quarantine.models import Certificate


@pytest.fixture
def chain(
    certified_to: Callable[..., Certificate], make_premises: Any, make_user: MakeUser
) -> Certificate:
    """Premises, tags, immunizations, a certificate and an arrival: events of every kind."""
    farm = make_premises(name="宽城育肥场", township="220103002", stock={"pig": 0})
    certified = certified_to(farm)
    arrival_report(
        actor=make_user("220103", (Role.DESTINATION_STAFF,)),
        certificate=certified,
        premises=farm,
        scanned=RangeSet(((int(pig(1)), int(pig(10))),)),
        arrived_at=timezone.now(),
    )
    return certified


def _in_order_exactly_once(platform: Platform) -> None:
    keys = [e["key"] for e in platform.events]
    assert len(keys) == len(set(keys)) == OutboxEvent.objects.count()
    for aggregate in set(OutboxEvent.objects.values_list("aggregate", flat=True)):
        sent = [e["key"] for e in platform.events if e["aggregate"] == aggregate]
        written = [
            str(k)
            for k in OutboxEvent.objects.filter(aggregate=aggregate)
            .order_by("id")
            .values_list("key", flat=True)
        ]
        assert sent == written, aggregate


def test_every_domain_event_is_written_with_its_change(chain: Certificate) -> None:
    types = set(OutboxEvent.objects.values_list("event_type", flat=True))
    assert {
        "premises.registered",
        "premises.verified",
        "tags.registered",
        "tags.issued",
        "tags.applied",
        "immunization.recorded",
        "tags.declared",
        "certificate.issued",
        "tags.certified",
        "arrival.reported",
        "tags.arrived",
    } <= types
    issued = OutboxEvent.objects.get(event_type="certificate.issued")
    assert issued.aggregate == f"certificate:{chain.number}"
    assert issued.payload["tags"] == [[pig(1), pig(10)]]
    assert "qr_token" not in OutboxEvent.objects.filter(event_type="premises.registered")[0].payload
    # A refused change leaves no event behind; an event cannot be written outside one.
    before = OutboxEvent.objects.count()
    with pytest.raises(BusinessError):
        premises_register(actor=None, data=PremisesData(kind="farm", name="", township="220102001"))
    assert OutboxEvent.objects.count() == before


def test_outbox_needs_the_transaction_of_the_change(transactional_db: None) -> None:
    with pytest.raises(RuntimeError):
        outbox_emit("premises.changed", "premises:x", {})


def test_platform_down_then_up_every_event_arrives_once_in_order(
    chain: Certificate, platform: Platform
) -> None:
    platform.down_until = datetime.now() + timedelta(hours=1)
    assert run(once=True) == 0
    failed = OutboxEvent.objects.filter(attempts=1, status="pending")
    assert failed.count() == 7 and "503" in failed[0].last_error
    platform.down_until = None
    delivered = run(once=True)
    assert delivered == OutboxEvent.objects.count()
    assert not OutboxEvent.objects.exclude(status="delivered").exists()
    _in_order_exactly_once(platform)
    # Every delivery carried the audit chain's signed checkpoint; the platform's copy holds the
    # chain as it stood.
    assert audit_chain_verify(checkpoint=platform.checkpoint).ok


def test_random_failures_lose_nothing(
    chain: Certificate, platform: Platform, settings: Any
) -> None:
    settings.EARMARK_EXCHANGE_MAX_ATTEMPTS = 100
    platform.fail_rate = 0.5
    for _ in range(200):
        run(once=True)
        if not OutboxEvent.objects.exclude(status="delivered").exists():
            break
    assert platform.failures > 0
    _in_order_exactly_once(platform)


def test_a_worker_killed_after_sending_loses_nothing_and_doubles_nothing(
    chain: Certificate, platform: Platform
) -> None:
    def killed(events: list[OutboxEvent]) -> None:
        send_http(events)  # the platform has the batch ...
        raise KeyboardInterrupt  # ... and the worker dies before it commits

    with pytest.raises(KeyboardInterrupt):
        deliver_batch(killed)
    assert len(platform.events) == 7
    assert not OutboxEvent.objects.filter(status="delivered").exists()
    run(once=True)
    assert platform.duplicates == 7  # sent again, stored once
    _in_order_exactly_once(platform)


def test_dead_letters_hold_back_their_aggregate_until_requeued(
    chain: Certificate,
    platform: Platform,
    settings: Any,
    province_admin: User,
    county_officer: User,
) -> None:
    settings.EARMARK_EXCHANGE_MAX_ATTEMPTS = 2
    platform.down_until = datetime.now() + timedelta(hours=1)
    run(once=True)
    run(once=True)
    dead = OutboxEvent.objects.filter(status="dead")
    assert dead.count() == 7
    platform.down_until = None
    run(once=True)
    status = client_for(province_admin).get("/api/v1/exchange").json()
    assert status["dead"] == 7 and len(status["dead_letters"]) == 7
    assert status["pending"] > 0  # later events of the same aggregates wait behind them
    first = status["dead_letters"][0]
    assert client_for(county_officer).get("/api/v1/exchange").status_code == 403
    assert client_for(None).get("/api/v1/exchange").status_code == 401
    url = f"/api/v1/dead-letters/{first['id']}/requeue"
    assert client_for(county_officer).post(url).status_code == 403
    for event in dead:
        assert (
            client_for(province_admin)
            .post(f"/api/v1/dead-letters/{event.pk}/requeue")
            .json()["attempts"]
            == 0
        )
    assert client_for(province_admin).post(url).status_code == 404  # no longer dead
    run(once=True)
    _in_order_exactly_once(platform)
    page = client_for(province_admin).get("/exchange/").content.decode()
    assert "数据共享" in page and "死信" in page
    assert client_for(county_officer).get("/exchange/").status_code == 403
    assert client_for(None).get("/exchange/").status_code == 302
    assert (
        client_for(county_officer).post(f"/exchange/dead-letters/{first['id']}/requeue").status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_nothing_twice(
    chain: Certificate, platform: Platform, settings: Any
) -> None:
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SKIP LOCKED is PostgreSQL's; on SQLite run one worker")
    settings.EARMARK_EXCHANGE_BATCH = 3
    first_holds = threading.Event()
    second_sent = threading.Event()

    def send(events: list[OutboxEvent]) -> None:
        # The first batch stays claimed (its rows locked) until the other worker has claimed
        # and sent a batch of its own: the two surely overlap.
        if not first_holds.is_set():
            first_holds.set()
            assert second_sent.wait(20), "the second worker claimed nothing meanwhile"
        else:
            second_sent.set()
        send_http(events)

    def work() -> None:
        try:
            run(once=True, send=send)
        finally:
            connection.close()

    first = threading.Thread(target=work)
    first.start()
    assert first_holds.wait(20)
    second = threading.Thread(target=work)
    second.start()
    for worker in (first, second):
        worker.join()
    assert second_sent.is_set()
    run(once=True)
    assert platform.duplicates == 0
    _in_order_exactly_once(platform)


def test_the_worker_command_delivers_what_is_due(chain: Certificate, platform: Platform) -> None:
    out = io.StringIO()
    call_command("exchange_worker", "--once", stdout=out)
    assert "pending 0, dead letters 0" in out.getvalue()
    _in_order_exactly_once(platform)


def test_old_delivered_events_are_pruned_and_nothing_else(chain: Certificate) -> None:
    events = list(OutboxEvent.objects.order_by("id")[:3])
    long_ago = timezone.now() - timedelta(days=100)
    OutboxEvent.objects.filter(pk=events[0].pk).update(status="delivered", delivered_at=long_ago)
    OutboxEvent.objects.filter(pk=events[1].pk).update(status="dead")
    OutboxEvent.objects.filter(pk=events[2].pk).update(
        status="delivered", delivered_at=timezone.now()
    )
    out = io.StringIO()
    call_command("exchange_prune", "--days", "90", stdout=out)
    assert "deleted 1 delivered" in out.getvalue()
    assert not OutboxEvent.objects.filter(pk=events[0].pk).exists()
    assert OutboxEvent.objects.filter(pk__in=[events[1].pk, events[2].pk]).count() == 2


def test_the_worker_signs_a_quiet_chain_every_hour_and_sends_the_checkpoint(
    county_officer: User, platform: Platform, settings: Any
) -> None:
    """Nothing to deliver, no checkpoint yet: the worker's round signs the chain and sends the
    checkpoint as an event of its own; within the hour it does not sign again (#34)."""
    from earmark.audit.checkpoints import checkpoint_latest

    settings.EARMARK_AUDIT_CHECKPOINTS.unlink(missing_ok=True)
    OutboxEvent.objects.all().delete()
    hour = timedelta(hours=1)
    assert run(once=True, sign_every=hour) == 1
    sent = [e for e in platform.events if e["type"] == "audit.checkpoint"]
    assert len(sent) == 1
    assert audit_chain_verify(checkpoint=sent[0]["payload"]["payload"]).ok
    assert audit_chain_verify(checkpoint=platform.checkpoint).ok
    latest = checkpoint_latest()
    assert run(once=True, sign_every=hour) == 0
    assert checkpoint_latest() == latest
    # An hour later (the file's last checkpoint an hour old), the next round signs again.
    path = settings.EARMARK_AUDIT_CHECKPOINTS
    old = (timezone.now() - hour).isoformat()
    lines = path.read_text().splitlines()
    last = json.loads(lines[-1])
    path.write_text("\n".join([*lines[:-1], json.dumps({**last, "at": old})]) + "\n")
    assert run(once=True, sign_every=hour) == 1
