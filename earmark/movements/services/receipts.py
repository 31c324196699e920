"""Receiving a certificate at its destination (DESIGN §5), shared by arrivals and slaughter.
A certificate is received once, and only where it sends the animals: at its destination
premises, or — when the declaration named only an address — at a premises of the destination
county; never in this province when it sends them to another one. A real change of
destination is recorded first (``redirects``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.core.errors import BusinessError, NotFound, invalid
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.movements.errors import (
    CERTIFICATE_ALREADY_RECEIVED,
    CERTIFICATE_EXPIRED,
    CERTIFICATE_RESTRICTED,
    CERTIFICATE_REVOKED,
    DESTINATION_MISMATCH,
    WRONG_PREMISES_KIND,
)
from earmark.movements.models import ForeignReceipt, Receipt, RestrictionOverride
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.selectors import certificate_visible, origin_restriction
from earmark.regions.provinces import leaves_province


def certificate_numbers(certificate: Certificate) -> RangeSet:
    return RangeSet.of(certificate.ranges.values_list("first", "last"))


@dataclass
class ReceiptPlan:
    received: RangeSet
    missing: RangeSet
    extra: RangeSet


def receipt_plan(certificate: Certificate, scanned: RangeSet) -> ReceiptPlan:
    expected = certificate_numbers(certificate)
    return ReceiptPlan(
        received=expected.intersection(scanned),
        missing=expected.difference(scanned),
        extra=scanned.difference(expected),
    )


def destination_problem(certificate: Certificate, premises: Premises, *, slaughter: bool) -> str:
    """Why ``certificate`` cannot be received at ``premises`` (empty when it can)."""
    number = certificate.number
    target = certificate.destination_premises
    if target is not None:
        if target.pk != premises.pk:
            return _(
                "Certificate %(number)s sends the animals to %(name)s (%(code)s), not here. If "
                "they came here instead, the destination county records a change of destination "
                "first."
            ) % {"number": number, "name": target.name, "code": target.code}
    elif leaves_province(certificate.destination_province):
        return _(
            "Certificate %(number)s sends the animals to another province; it cannot be "
            "received in this province."
        ) % {"number": number}
    else:
        region = certificate.destination_region_id or ""
        if premises.county_code != region[:6] or not premises.township_id.startswith(region):
            return _(
                "Certificate %(number)s sends the animals to %(place)s; %(name)s lies elsewhere."
            ) % {"number": number, "place": certificate.destination, "name": premises.name}
        for_slaughter = certificate.purpose == Declaration.Purpose.SLAUGHTER
        if for_slaughter and not slaughter:
            return _(
                "Certificate %(number)s is for slaughter: the animals are received by the "
                "slaughter inspection at a slaughterhouse."
            ) % {"number": number}
        if slaughter and not for_slaughter:
            return _(
                "Certificate %(number)s is not for slaughter; a slaughterhouse receives it only "
                "after a recorded change of destination."
            ) % {"number": number}
    return ""


def certificate_lock_for_receipt(
    actor: User, certificate: Certificate, premises: Premises, *, slaughter: bool
) -> Certificate:
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("premises", "declaration", "destination_premises")
        .get(pk=certificate.pk)
    )
    problem = destination_problem(locked, premises, slaughter=slaughter)
    if problem and not certificate_visible(actor, locked):
        # A certificate that neither leaves nor reaches the user's jurisdiction does not exist
        # for the user, as everywhere else.
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": locked.number})
    if Receipt.objects.filter(certificate=locked).exists() or locked.status == (
        Certificate.Status.USED
    ):
        raise BusinessError(
            _("Certificate %(number)s has already been received.") % {"number": locked.number},
            code=CERTIFICATE_ALREADY_RECEIVED,
        )
    if locked.status == Certificate.Status.REVOKED:
        raise BusinessError(
            _("Certificate %(number)s was revoked.") % {"number": locked.number},
            code=CERTIFICATE_REVOKED,
        )
    if problem:
        raise BusinessError(problem, code=DESTINATION_MISMATCH)
    refuse_restricted(locked)
    return locked


def refuse_restricted(certificate: Certificate) -> None:
    """Animals whose origin fell under a movement restriction are not received unless the
    destination county recorded an override with its reason."""
    restriction = origin_restriction(certificate)
    if restriction is None or RestrictionOverride.objects.filter(certificate=certificate).exists():
        return
    raise BusinessError(
        _(
            "The origin of certificate %(number)s is under a movement restriction since "
            "%(since)s (%(reason)s): the animals are received only after the destination "
            "county records an override with its reason."
        )
        % {
            "number": certificate.number,
            "since": timezone.localtime(restriction.starts_at).strftime("%Y-%m-%d %H:%M"),
            "reason": restriction.reason,
        },
        code=CERTIFICATE_RESTRICTED,
    )


def certificate_receipt_create(
    certificate: Certificate,
    kind: str,
    premises: Premises,
    arrived_at: datetime,
    plan: ReceiptPlan,
    actor: User,
    **outcome: Any,
) -> Receipt:
    """The receipt of a certificate at ``premises``; the certificate is used from then on."""
    receipt = Receipt.objects.create(
        certificate=certificate,
        kind=kind,
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        arrived_at=arrived_at,
        received=plan.received.as_lists(),
        missing=plan.missing.as_lists(),
        extra=plan.extra.as_lists(),
        recorded_by=actor,
        **outcome,
    )
    certificate.status = Certificate.Status.USED
    certificate.save(update_fields=["status"])
    return receipt


def receipt_outcome(receipt: Receipt | ForeignReceipt) -> ReceiptPlan:
    """What a receipt recorded, ours or another province's certificate's."""
    return ReceiptPlan(
        received=RangeSet.of(map(tuple, receipt.received)),
        missing=RangeSet.of(map(tuple, receipt.missing)),
        extra=RangeSet.of(map(tuple, receipt.extra)),
    )


def arrival_refusals(
    *,
    premises: Premises,
    number: str,
    arrived_at: datetime,
    valid_from: datetime,
    valid_until: date,
) -> None:
    """What refuses an arrival whatever the certificate, ours or another province's: a place
    that does not take arrivals, an arrival reported ahead of time, before the certificate was
    issued, or after its validity ended."""
    if not premises.holds_animals:
        raise BusinessError(
            _(
                "Arrivals are reported at farms, households and markets; slaughterhouses record "
                "a slaughter inspection."
            ),
            code=WRONG_PREMISES_KIND,
        )
    if arrived_at > timezone.now() + timedelta(minutes=5):
        message = _("The arrival time lies in the future.")
        raise invalid(message, {"arrived_at": message})
    if arrived_at < valid_from:
        raise invalid(
            _("The animals cannot arrive before their certificate was issued."),
            {"arrived_at": _("before the certificate was issued")},
        )
    if timezone.localtime(arrived_at).date() > valid_until:
        raise BusinessError(
            _("Certificate %(number)s was valid until %(date)s.")
            % {"number": number, "date": valid_until.isoformat()},
            code=CERTIFICATE_EXPIRED,
        )
