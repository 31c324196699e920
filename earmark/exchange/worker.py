"""Delivering the outbox to the national platform.

A batch is claimed under row locks that other workers skip (PostgreSQL ``SKIP LOCKED``), and
only events whose aggregate has nothing earlier still undelivered are eligible, so events of
one aggregate arrive in order even with several workers. The batch is sent as one request,
each event with its idempotency key; the platform stores an event once whatever the number of
times it is sent. A failed batch is retried with exponential backoff; an event that keeps
failing becomes a dead letter, which holds back the rest of its aggregate until a province
admin re-queues it."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from earmark.audit.checkpoints import CheckpointNotWritten, checkpoint_due, checkpoint_make
from earmark.audit.models import OutboxEvent
from earmark.audit.outbox import outbox_emit
from earmark.core.species import species_forget
from earmark.exchange.services.inbound import pull

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    pass


@dataclass
class BatchResult:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


def _claim() -> list[OutboxEvent]:
    """Due pending events, oldest first, locked for this worker; then only those whose
    aggregate has nothing earlier left undelivered outside this batch (locked by another
    worker, waiting for a retry, or dead)."""
    now = timezone.now()
    stuck = OutboxEvent.objects.filter(
        Q(status=OutboxEvent.Status.DEAD)
        | Q(status=OutboxEvent.Status.PENDING, next_attempt_at__gt=now)
    ).values("aggregate")
    candidates = (
        OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING, next_attempt_at__lte=now)
        .exclude(aggregate__in=stuck)
        .order_by("id")
    )
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True)
    batch = list(candidates[: settings.EARMARK_EXCHANGE_BATCH])
    if not batch:
        return []
    blocked = dict(
        OutboxEvent.objects.filter(aggregate__in={e.aggregate for e in batch})
        .exclude(status=OutboxEvent.Status.DELIVERED)
        .exclude(pk__in=[e.pk for e in batch])
        .order_by()
        .values_list("aggregate")
        .annotate(first=Min("id"))
        .values_list("aggregate", "first")
    )
    return [e for e in batch if e.pk < blocked.get(e.aggregate, e.pk + 1)]


def send_http(events: list[OutboxEvent]) -> None:
    """POST the batch to ``{EARMARK_NATIONAL_URL}/events``; any answer but 2xx is a failure."""
    url = settings.EARMARK_NATIONAL_URL
    if not url:
        raise DeliveryError("EARMARK_NATIONAL_URL is not set")
    body = json.dumps(
        {
            "events": [
                {
                    "key": str(event.key),
                    "type": event.event_type,
                    "aggregate": event.aggregate,
                    "occurred_at": event.occurred_at.isoformat(),
                    "payload": event.payload,
                }
                for event in events
            ],
            # The audit chain as it stands, signed: the platform keeps a copy that nobody with
            # access to this database can change (see audit.checkpoints).
            "audit_checkpoint": _checkpoint_or_none(),
        },
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        f"{url}/events",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.EARMARK_NATIONAL_TOKEN}",
            "Idempotency-Key": ",".join(str(event.key) for event in events),
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.EARMARK_EXCHANGE_TIMEOUT
        ) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}: {error.read()[:200]!r}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(str(error)) from error


def _checkpoint_or_none() -> str | None:
    """A fresh checkpoint to send with the batch, or none when it cannot be written (a full
    disk): the events go all the same, the next batch carries one."""
    try:
        return checkpoint_make().payload
    except CheckpointNotWritten:
        log.exception("the audit checkpoint could not be written; delivering without it")
        return None


def backoff(attempts: int) -> timedelta:
    seconds = settings.EARMARK_EXCHANGE_BACKOFF * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EARMARK_EXCHANGE_BACKOFF_MAX))


def deliver_batch(send: Callable[[list[OutboxEvent]], None] = send_http) -> BatchResult:
    """Claim, send and settle one batch, in one transaction."""
    result = BatchResult()
    with transaction.atomic():
        events = _claim()
        result.claimed = len(events)
        if not events:
            return result
        now = timezone.now()
        try:
            send(events)
        except DeliveryError as error:
            for event in events:
                event.attempts += 1
                event.last_error = str(error)[:500]
                if event.attempts >= settings.EARMARK_EXCHANGE_MAX_ATTEMPTS:
                    event.status = OutboxEvent.Status.DEAD
                    result.dead += 1
                else:
                    event.next_attempt_at = now + backoff(event.attempts)
                    result.failed += 1
            OutboxEvent.objects.bulk_update(
                events, ["attempts", "last_error", "status", "next_attempt_at"]
            )
            log.warning("delivery failed for %d events: %s", len(events), error)
            return result
        OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            status=OutboxEvent.Status.DELIVERED,
            delivered_at=now,
            attempts=F("attempts") + 1,
            last_error="",
        )
        result.delivered = len(events)
    return result


# An answer from the platform larger than this is not read.
MAX_ANSWER = 64 * 1024 * 1024


def fetch_http(path: str) -> Any:
    """GET ``{EARMARK_NATIONAL_URL}{path}`` as JSON (at most ``MAX_ANSWER`` bytes)."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
        f"{settings.EARMARK_NATIONAL_URL}{path}",
        headers={"Authorization": f"Bearer {settings.EARMARK_NATIONAL_TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=settings.EARMARK_EXCHANGE_TIMEOUT) as answer:  # noqa: S310
        data = answer.read(MAX_ANSWER + 1)
    if len(data) > MAX_ANSWER:
        raise ValueError(f"{path}: the answer is larger than {MAX_ANSWER} bytes")
    return json.loads(data or b"{}")


def _pull_quietly(fetch: Callable[[str], Any] | None) -> None:
    """Read from the platform; whatever goes wrong there, delivery goes on."""
    if fetch is None and not settings.EARMARK_NATIONAL_URL:
        return
    try:
        pull(fetch or fetch_http)
    except Exception:  # the worker outlives anything the platform sends
        log.exception("reading from the platform failed")


def checkpoint_when_due(every: timedelta) -> bool:
    """Sign the audit chain when it has gone unsigned for ``every``, and send the checkpoint to
    the platform as an event of its own: a province whose outbox is quiet still has its chain
    anchored outside its database every hour (#34)."""
    if not checkpoint_due(every=every):
        return False
    with transaction.atomic():
        checkpoint = checkpoint_make()
        outbox_emit(
            "audit.checkpoint",
            "audit",
            {
                "count": checkpoint.count,
                "head_id": checkpoint.head_id,
                "payload": checkpoint.payload,
            },
        )
    return True


def run(
    *,
    once: bool,
    idle_sleep: float = 2.0,
    send: Callable[[list[OutboxEvent]], None] = send_http,
    fetch: Callable[[str], Any] | None = None,
    sign_every: timedelta | None = None,
) -> int:
    """Deliver until nothing is eligible (``once``), or for ever, sleeping when idle; each
    time the outbox is empty, read what the platform holds for this province — and with
    ``once``, deliver what reading it wrote (an answer to another province's investigation,
    say) before returning. With ``sign_every``, each round first signs the audit chain if it
    has gone unsigned that long."""
    delivered = 0
    pulled = False
    while True:
        # The species table may have changed since the last round (a province adds one).
        species_forget()
        try:
            if sign_every is not None:
                checkpoint_when_due(sign_every)
            result = deliver_batch(send)
        except (OperationalError, InterfaceError, CheckpointNotWritten):
            # The database restarted or the disk is full: nothing was settled, the batch is
            # still pending. Start again on a new connection after a pause (#34).
            log.exception("the worker's round failed; trying again")
            connection.close()
            if once:
                return delivered
            time.sleep(idle_sleep)
            continue
        delivered += result.delivered
        if result.claimed and not result.failed and not result.dead:
            continue
        if once and (pulled or result.failed or result.dead):
            return delivered
        _pull_quietly(fetch)
        pulled = True
        if not once:
            time.sleep(idle_sleep)
