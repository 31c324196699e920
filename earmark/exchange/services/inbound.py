"""What the platform holds for this province, read and stored: every province's published key,
the type A certificates coming here, the alerts other provinces raised about ours, their
receipts of ours, and the questions their investigations ask and answer.

Poison never spreads: each answer is read on its own, each entry is taken on its own (see
``core.inbound``), and what cannot be read or believed is set aside (``HeldEvent``) with its
reason — raised to the province administrator where it may be an attack — while the pull and
the delivery go on. The administrator retries an entry set aside (it is taken if it now holds,
e.g. after pinning the key it needed) or drops it."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError, NotFound
from earmark.core.inbound import Refused, Taken
from earmark.core.validators import one_line
from earmark.exchange.errors import HELD_EVENT_HANDLED
from earmark.exchange.models import HeldEvent
from earmark.movements.models import Alert
from earmark.movements.services.alerts import foreign_alerts_store, province_alert_raise
from earmark.movements.services.received_abroad import received_abroad_store
from earmark.quarantine.services.foreign import foreign_certificates_store
from earmark.quarantine.services.province_keys import province_keys_store
from earmark.trace.services.trace_requests import trace_answers_store, trace_requests_store

log = logging.getLogger(__name__)

# What is kept of an entry set aside: at most this many characters of its JSON.
MAX_KEPT = 16_000

# Each kind of entry: where the platform answers it, under which name, and who takes it.
STORES: dict[str, tuple[str, str, Callable[[Any], Taken]]] = {
    HeldEvent.Kind.KEY: ("/keys", "keys", province_keys_store),
    HeldEvent.Kind.CERTIFICATE: (
        "/certificates?destination={province}",
        "certificates",
        foreign_certificates_store,
    ),
    HeldEvent.Kind.ALERT: ("/alerts?province={province}", "alerts", foreign_alerts_store),
    HeldEvent.Kind.RECEIPT: ("/receipts?province={province}", "receipts", received_abroad_store),
    HeldEvent.Kind.TRACE_REQUEST: (
        "/trace-requests?province={province}",
        "requests",
        trace_requests_store,
    ),
    HeldEvent.Kind.TRACE_ANSWER: (
        "/trace-answers?province={province}",
        "answers",
        trace_answers_store,
    ),
}


@dataclass
class Pulled:
    stored: dict[str, int] = field(default_factory=dict)
    held: int = 0
    # The answers that could not be fetched at all (the platform down, or not JSON).
    unreachable: list[str] = field(default_factory=list)

    @property
    def keys(self) -> int:
        return self.stored.get(HeldEvent.Kind.KEY, 0)

    @property
    def certificates(self) -> int:
        return self.stored.get(HeldEvent.Kind.CERTIFICATE, 0)

    @property
    def alerts(self) -> int:
        return self.stored.get(HeldEvent.Kind.ALERT, 0)


def pull(fetch: Callable[[str], Any]) -> Pulled:
    """Read what the platform holds for this province — keys first, as the certificates are
    checked against them — taking what holds and setting the rest aside."""
    pulled = Pulled()
    for kind, (path, name, store) in STORES.items():
        address = path.format(province=settings.EARMARK_PROVINCE_CODE)
        try:
            answer = fetch(address)
        except (OSError, ValueError, RecursionError) as error:
            log.warning("reading %s from the platform failed: %s", address, error)
            pulled.unreachable.append(address)
            continue
        # An answer without the list holds nothing; one whose list is not a list is set aside.
        entries = answer.get(name, []) if isinstance(answer, dict) else answer
        taken = store(entries)
        pulled.stored[kind] = taken.stored
        pulled.held += held_keep(taken)
    return pulled


def _kept(kind: str, entry: Any) -> tuple[str, str]:
    """The entry as it is kept (JSON text, bounded) and its digest (held once)."""
    try:
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)
    except (RecursionError, ValueError, TypeError):
        text = json.dumps({"unreadable": type(entry).__name__})
    # Lone surrogates (JSON may carry them) are not UTF-8: kept as replacement characters.
    text = text.encode("utf-8", "replace").decode()[:MAX_KEPT]
    return text, hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()


@transaction.atomic
def held_keep(taken: Taken) -> int:
    """Set aside what was refused (once per distinct entry), raising to the administrator what
    may be an attack; returns how many entries were set aside for the first time."""
    fresh = 0
    for message in taken.alerts:
        _raise(message, {})
    for refused in taken.refused:
        fresh += _hold(refused)
    waiting = HeldEvent.objects.filter(status=HeldEvent.Status.WAITING, kind=taken.kind)
    if taken.held and waiting.exists():
        # What was set aside and now holds (its key pinned since) is settled.
        waiting.filter(digest__in=[_kept(taken.kind, entry)[1] for entry in taken.held]).update(
            status=HeldEvent.Status.TAKEN, handled_at=timezone.now()
        )
    return fresh


def _hold(refused: Refused) -> int:
    body, digest = _kept(refused.kind, refused.entry)
    refusal = refused.refusal
    held, created = HeldEvent.objects.get_or_create(
        digest=digest,
        defaults={
            "kind": refused.kind,
            "province": one_line(refusal.province, 6),
            "reference": one_line(refusal.reference, 64),
            "reason": refusal.reason,
            "detail": one_line(refusal.detail, 200),
            "body": body,
        },
    )
    if not created:
        HeldEvent.objects.filter(pk=held.pk).update(
            times_seen=F("times_seen") + 1, last_seen=timezone.now()
        )
        return 0
    audit_record(
        actor=None,
        action="held_event.keep",
        obj=held,
        details={"kind": held.kind, "reason": held.reason, "reference": held.reference},
    )
    if refusal.alert:
        _raise(
            _("The platform handed over a %(kind)s that was set aside: %(reason)s (%(ref)s).")
            % {
                "kind": held.get_kind_display(),
                "reason": held.get_reason_display(),
                "ref": held.reference,
            },
            {"held_event": held.pk},
        )
    return 1


def _raise(message: str, extra: dict[str, object]) -> None:
    province_alert_raise(kind=Alert.Kind.PLATFORM, message=message, extra=extra)


def _held_for(actor: User, held_id: int) -> HeldEvent:
    require_role(actor, Role.PROVINCE_ADMIN)
    held = HeldEvent.objects.select_for_update().filter(pk=held_id).first()
    if held is None:
        raise NotFound()
    if held.status != HeldEvent.Status.WAITING:
        raise BusinessError(code=HELD_EVENT_HANDLED)
    return held


@transaction.atomic
def held_retry(*, actor: User, held_id: int) -> HeldEvent:
    """Take an entry set aside again: taken if it now holds (the key it needed was pinned),
    else it stays, with the reason it still fails."""
    held = _held_for(actor, held_id)
    _path, _name, store = STORES[held.kind]
    try:
        entry = json.loads(held.body)
    except ValueError:
        entry = held.body
    taken = store([entry])
    if taken.refused:
        refusal = taken.refused[0].refusal
        held.reason, held.detail = refusal.reason, one_line(refusal.detail, 200)
        held.save(update_fields=["reason", "detail"])
        return held
    held_keep(Taken(held.kind, alerts=taken.alerts))
    return _settle(actor, held, HeldEvent.Status.TAKEN)


@transaction.atomic
def held_drop(*, actor: User, held_id: int) -> HeldEvent:
    """Drop an entry set aside: it stays recorded, and is not raised again."""
    return _settle(actor, _held_for(actor, held_id), HeldEvent.Status.DROPPED)


def _settle(actor: User, held: HeldEvent, status: str) -> HeldEvent:
    held.status, held.handled_by, held.handled_at = status, actor, timezone.now()
    held.save(update_fields=["status", "handled_by", "handled_at"])
    audit_record(
        actor=actor,
        action=f"held_event.{status}",
        obj=held,
        details={"kind": held.kind, "reference": held.reference},
    )
    return held
