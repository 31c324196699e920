"""Receiving animals at their destination, whatever the certificate: one entry that finds the
certificate by its number (ours, or another province's as the platform handed it over), and
records or previews the arrival or the slaughter inspection it calls for. The web page and its
preview go through it, so that both say the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from earmark.accounts.models import User
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.movements.models import ForeignReceipt, Receipt
from earmark.movements.services.arrivals import arrival_preview, arrival_report
from earmark.movements.services.foreign_arrivals import (
    foreign_arrival_preview,
    foreign_arrival_report,
)
from earmark.movements.services.foreign_slaughter import (
    foreign_slaughter_inspection,
    foreign_slaughter_preview,
)
from earmark.movements.services.receipts import ReceiptPlan
from earmark.movements.services.slaughter import slaughter_inspection, slaughter_preview
from earmark.quarantine.models import ForeignCertificate
from earmark.quarantine.registry import foreign_certificate_get
from earmark.quarantine.selectors import certificate_find


@dataclass(frozen=True)
class Receiving:
    """What the destination reads: the certificate's number, where, the tags read; for a
    slaughter inspection also the result, the findings and the animals without a tag."""

    number: str
    premises: Premises
    scanned: RangeSet
    slaughter: bool = False
    passed: bool = True
    findings: str = ""
    finding_kinds: list[str] = field(default_factory=list)
    untagged: int = 0


def _arguments(actor: User, receiving: Receiving) -> dict[str, Any]:
    foreign = foreign_certificate_get(number=receiving.number)
    if receiving.slaughter:
        return {
            "actor": actor,
            "certificate": foreign or certificate_find(receiving.number),
            "slaughterhouse": receiving.premises,
            "scanned": receiving.scanned,
            "passed": receiving.passed,
            "findings": receiving.findings,
            "finding_kinds": receiving.finding_kinds,
            "untagged": receiving.untagged,
        }
    return {
        "actor": actor,
        "certificate": foreign or certificate_find(receiving.number),
        "premises": receiving.premises,
        "scanned": receiving.scanned,
        "arrived_at": timezone.now(),
    }


def slaughter_inspect(**arguments: Any) -> Receipt | ForeignReceipt:
    """The slaughter inspection of the certificate given, ours or another province's."""
    if isinstance(arguments["certificate"], ForeignCertificate):
        return foreign_slaughter_inspection(**arguments)
    return slaughter_inspection(**arguments)


def slaughter_inspect_preview(**arguments: Any) -> ReceiptPlan:
    if isinstance(arguments["certificate"], ForeignCertificate):
        return foreign_slaughter_preview(**arguments)
    return slaughter_preview(**arguments)


def receiving_preview(*, actor: User, receiving: Receiving) -> ReceiptPlan:
    """What ``receiving_record`` would record, or its refusal, recording nothing."""
    arguments = _arguments(actor, receiving)
    if receiving.slaughter:
        return slaughter_inspect_preview(**arguments)
    foreign = isinstance(arguments["certificate"], ForeignCertificate)
    return (foreign_arrival_preview if foreign else arrival_preview)(**arguments)


def receiving_record(*, actor: User, receiving: Receiving) -> object:
    """Record the arrival, or the slaughter inspection, the certificate calls for."""
    arguments = _arguments(actor, receiving)
    if receiving.slaughter:
        return slaughter_inspect(**arguments)
    foreign = isinstance(arguments["certificate"], ForeignCertificate)
    return (foreign_arrival_report if foreign else arrival_report)(**arguments)
