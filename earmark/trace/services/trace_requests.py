"""Investigations across the border (#30). An investigation that reaches animals another province
certified asks that province, through the national platform and signed with this province's
key, which farms those certificates' animals passed; the province asked traces them in its own
records, alerts the origin county of each certificate, and answers, signed; the answer joins
the investigation. Only the province a certificate sent its animals to may ask about it."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.inbound import (
    Reason,
    Refusal,
    Taken,
    day,
    digits,
    take_each,
    whole,
    words,
)
from earmark.movements.models import Alert, ForeignReceipt
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.foreign import signer_of
from earmark.regions.provinces import PROVINCES
from earmark.trace.models import Investigation, TraceRequest
from earmark.trace.selectors.traces import premises_trace

# At most this many certificates in one question, and farms in one answer.
MAX_CERTIFICATES = 100
MAX_FARMS = 500


def trace_requests_send(investigation: Investigation, reached: list[str]) -> list[TraceRequest]:
    """Ask every province whose certificates brought animals to the premises ``reached``
    within the investigation's window; runs in the investigation's transaction."""
    start = timezone.make_aware(datetime.combine(investigation.since, time.min))
    end = timezone.make_aware(datetime.combine(investigation.until, time.max))
    received = (
        ForeignReceipt.objects.filter(premises__code__in=reached, arrived_at__range=(start, end))
        .select_related("certificate")
        .order_by("certificate__province", "certificate__number")
    )
    by_province: dict[str, list[str]] = {}
    for receipt in received:
        by_province.setdefault(receipt.certificate.province, []).append(receipt.certificate.number)
    own = settings.EARMARK_PROVINCE_CODE
    sent = []
    for province, numbers in by_province.items():
        question = TraceRequest.objects.create(
            key=uuid.uuid4(),
            direction=TraceRequest.Direction.SENT,
            province=province,
            investigation=investigation,
            reference=investigation.number,
            certificates=numbers[:MAX_CERTIFICATES],
            since=investigation.since,
            until=investigation.until,
            hops=investigation.hops,
        )
        fields = {
            "id": str(question.key),
            "p": own,
            "to": province,
            "i": investigation.number,
            "c": question.certificates,
            "s": investigation.since.isoformat(),
            "u": investigation.until.isoformat(),
            "h": investigation.hops,
        }
        outbox_emit(
            "trace.requested",
            f"trace-request:{question.key}",
            {
                "key": str(question.key),
                "province": own,
                "to": province,
                "signed": signing.sign(fields),
            },
        )
        sent.append(question)
    return sent


def trace_requests_store(entries: Any) -> Taken:
    """The questions other provinces' investigations asked of this one, each answered: the
    certificates' animals traced in this province's records, their origin counties alerted,
    the answer sent back, signed."""
    return take_each("trace_request", entries, _question_take)


def _signed_payload(entry: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    given = entry.get("payload")
    if not isinstance(given, dict) or not isinstance(given.get("signed"), str):
        raise Refusal(Reason.UNREADABLE, "signed")
    signer = signer_of(given["signed"])
    fields = signing.payload_fields(given["signed"])
    if fields.get("p") != signer.province or fields.get("to") != settings.EARMARK_PROVINCE_CODE:
        raise Refusal(Reason.UNSIGNED_DISAGREES, "p", province=signer.province)
    return signer, fields


def _question_take(entry: dict[str, Any], _result: Taken) -> bool:
    signer, fields = _signed_payload(entry)
    key = _key(fields)
    reference: dict[str, Any] = {"reference": str(key), "province": signer.province}
    if TraceRequest.objects.filter(direction=TraceRequest.Direction.RECEIVED, key=key).exists():
        return False
    since, until = day(fields.get("s"), "s"), day(fields.get("u"), "u")
    if not timedelta(0) <= until - since <= timedelta(days=366):
        raise Refusal(Reason.OUT_OF_BOUNDS, "u", **reference)
    hops = whole(fields.get("h"), "h", 1, 6)
    listed = fields.get("c")
    if not isinstance(listed, list) or not 0 < len(listed) <= MAX_CERTIFICATES:
        raise Refusal(Reason.OUT_OF_BOUNDS, "c", **reference)
    numbers = [digits(n, "c", (12,)) for n in listed]
    # Only the certificates that sent their animals to the asking province are its to ask about.
    certificates = [
        c
        for c in Certificate.objects.filter(number__in=numbers).select_related("premises")
        if c.destination_province[:2] == signer.province[:2]
    ]
    if not certificates:
        raise Refusal(Reason.NOT_A_PARTY, signer.province, **reference)
    question = TraceRequest.objects.create(
        key=key,
        direction=TraceRequest.Direction.RECEIVED,
        province=signer.province,
        reference=words(fields.get("i"), 24),
        certificates=[c.number for c in certificates],
        since=since,
        until=until,
        hops=hops,
    )
    _answer(question, certificates)
    return True


def _key(fields: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(str(fields.get("id", ""))[:36])
    except ValueError:
        raise Refusal(Reason.OUT_OF_BOUNDS, "id") from None


def _answer(question: TraceRequest, certificates: list[Certificate]) -> None:
    """Trace each certificate's origin both ways in this province's records, alert its origin
    county, and send the farms reached back to the province that asked."""
    start = timezone.make_aware(datetime.combine(question.since, time.min))
    end = timezone.make_aware(datetime.combine(question.until, time.max))
    farms: dict[str, dict[str, Any]] = {}
    asking = PROVINCES.get(question.province, question.province)
    for certificate in certificates:
        trace = premises_trace(
            premises=certificate.premises,
            direction="both",
            since=start,
            until=end,
            hops=question.hops,
        )
        for node in trace.nodes.values():
            farms.setdefault(
                node.code,
                {
                    "code": node.code,
                    "name": node.name,
                    "kind": node.kind,
                    "county": node.county_code,
                    "hop": node.hop,
                },
            )
        alert = Alert.objects.create(
            kind=Alert.Kind.INVESTIGATION,
            county_id=certificate.county_code,
            certificate=certificate,
            message=_(
                "%(province)s's investigation %(number)s reached the animals of certificate "
                "%(certificate)s: trace its origin."
            )
            % {"province": asking, "number": question.reference, "certificate": certificate.number},
            trace={"investigation": question.reference, "from_province": question.province},
            from_province=question.province,
        )
        audit_record(
            actor=None,
            action="alert.raise",
            obj=alert,
            region_code=alert.county_id,
            details={"kind": alert.kind, "investigation": question.reference},
        )
    question.answer = list(farms.values())[:MAX_FARMS]
    question.answered_at = timezone.now()
    question.signed_answer = signing.sign(
        {
            "id": str(question.key),
            "p": settings.EARMARK_PROVINCE_CODE,
            "to": question.province,
            "f": question.answer,
        }
    )
    question.save(update_fields=["answer", "answered_at", "signed_answer"])
    outbox_emit(
        "trace.answered",
        f"trace-request:{question.key}",
        {
            "key": str(question.key),
            "province": settings.EARMARK_PROVINCE_CODE,
            "to": question.province,
            "signed": question.signed_answer,
        },
    )
    audit_record(
        actor=None,
        action="trace_request.answer",
        obj=question,
        details={"province": question.province, "farms": len(question.answer)},
    )


def trace_answers_store(entries: Any) -> Taken:
    """Other provinces' answers to this province's investigations."""
    return take_each("trace_answer", entries, _answer_take)


def _answer_take(entry: dict[str, Any], _result: Taken) -> bool:
    signer, fields = _signed_payload(entry)
    key = _key(fields)
    question = (
        TraceRequest.objects.select_for_update()
        .filter(direction=TraceRequest.Direction.SENT, key=key)
        .first()
    )
    reference: dict[str, Any] = {"reference": str(key), "province": signer.province}
    if question is None:
        raise Refusal(Reason.UNKNOWN_CERTIFICATE, "id", **reference)
    # Only the province asked answers.
    if question.province != signer.province:
        raise Refusal(Reason.NOT_A_PARTY, signer.province, **reference)
    if question.answered_at is not None:
        return False
    listed = fields.get("f")
    if not isinstance(listed, list) or len(listed) > MAX_FARMS:
        raise Refusal(Reason.OUT_OF_BOUNDS, "f", **reference)
    question.answer = [_farm(farm) for farm in listed]
    question.answered_at = timezone.now()
    question.signed_answer = str(entry["payload"]["signed"])
    question.save(update_fields=["answer", "answered_at", "signed_answer"])
    audit_record(
        actor=None,
        action="trace_request.answered",
        obj=question,
        details={"province": question.province, "farms": len(question.answer)},
    )
    return True


def _farm(farm: Any) -> dict[str, Any]:
    """A farm of the answer, bounded: its code, name, kind, county and hop."""
    if not isinstance(farm, dict):
        raise Refusal(Reason.OUT_OF_BOUNDS, "f")
    return {
        "code": digits(farm.get("code"), "f", (12,)),
        "name": words(farm.get("name"), 100),
        "kind": words(farm.get("kind"), 20),
        "county": digits(farm.get("county"), "f", (6,)),
        "hop": whole(farm.get("hop"), "f", 0, 6),
    }
