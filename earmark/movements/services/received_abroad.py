"""Certificates of this province received in another one (#30): the receiving province reports
each receipt through the platform, signed with its key; the certificate is then used here too,
so that this province's checkpoints — online, and offline through their snapshot — read it as
已使用 and nobody receives it a second time."""

from __future__ import annotations

from typing import Any

from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.inbound import (
    Reason,
    Refusal,
    Taken,
    digits,
    moment,
    tag_ranges,
    take_each,
    words,
)
from earmark.eartags.models import Tag
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tags_transition
from earmark.immunization.models import Animal, AnimalTag
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.foreign import signer_of
from earmark.regions.provinces import PROVINCES


def received_abroad_store(entries: Any) -> Taken:
    """The receipts other provinces reported of certificates issued here, as the platform hands
    them over (``foreign_certificate.received`` events)."""
    return take_each("receipt", entries, _receipt_take)


def _receipt_take(entry: dict[str, Any], _result: Taken) -> bool:
    given = entry.get("payload")
    if not isinstance(given, dict) or not isinstance(given.get("signed"), str):
        raise Refusal(Reason.UNREADABLE, "signed")
    signer = signer_of(given["signed"])
    fields = signing.payload_fields(given["signed"])
    number = digits(fields.get("n"), "n", (12,))
    reference: dict[str, Any] = {"reference": number, "province": signer.province}
    if fields.get("p") != signer.province:
        raise Refusal(Reason.UNSIGNED_DISAGREES, "p", **reference)
    arrived_at = moment(fields.get("at"), "at")
    certificate = Certificate.objects.select_for_update().filter(number=number).first()
    if certificate is None:
        raise Refusal(Reason.UNKNOWN_CERTIFICATE, number, **reference)
    # Only the province the certificate sent its animals to receives them.
    if certificate.destination_province[:2] != signer.province[:2]:
        raise Refusal(Reason.NOT_A_PARTY, signer.province, **reference)
    if certificate.status != Certificate.Status.VALID:
        return False
    certificate.status = Certificate.Status.USED
    certificate.save(update_fields=["status"])
    place = f"{PROVINCES.get(signer.province, signer.province)} {words(fields.get('pm'), 20)}"
    if fields.get("k") == "slaughter":
        _recovered_abroad(certificate, tag_ranges(fields.get("r"), "r"), place)
    audit_record(
        actor=None,
        action="certificate.received_abroad",
        obj=certificate,
        region_code=certificate.township_code,
        details={
            "province": signer.province,
            "premises": words(fields.get("pm"), 20),
            "arrived_at": arrived_at.isoformat(),
        },
    )
    return True


def _recovered_abroad(certificate: Certificate, ranges: list[list[int]], place: str) -> None:
    """The certificate's tags recovered at the other province's slaughterhouse are recovered
    here too (its animals slaughtered): their trace ends there."""
    certified = RangeSet.of(certificate.ranges.values_list("first", "last"))
    numbers = RangeSet.of((a, b) for a, b in ranges).intersection(certified)
    travelling = list(
        Tag.objects.filter(
            number__in=list(numbers.expand()), state=Tag.State.IN_TRANSIT
        ).values_list("number", flat=True)
    )
    if not travelling:
        return
    tags_transition(
        numbers=travelling,
        event="recover",
        actor=None,
        holder=place,
        document_type="certificate",
        document_id=certificate.number,
    )
    animals = AnimalTag.objects.filter(tag_id__in=travelling).values_list("animal_id", flat=True)
    Animal.objects.filter(pk__in=animals).update(status=Animal.Status.SLAUGHTERED)
