"""What receiving another province's certificate takes, whether the animals arrive at a farm or
a market or are inspected at a slaughterhouse (#17, #30): the certificate received once, only
where it sends them, never when revoked; its tags become tags of ours, on animals of ours, so
that they trace here; and the issuing province is told, signed, through the national platform —
that its certificate is used (and, at a slaughterhouse, that its tags are recovered), and what
went wrong on the way, as an alert to its origin county."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from earmark.accounts.models import User
from earmark.audit.outbox import outbox_emit
from earmark.core import signing
from earmark.core.codes import is_within
from earmark.core.errors import BusinessError
from earmark.core.species import species_known
from earmark.eartags.messages import format_ranges
from earmark.eartags.models import Tag, TagEvent
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tag_events_save
from earmark.farms.models import Premises, StockChange
from earmark.farms.services.stock import stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.movements.errors import (
    CERTIFICATE_ALREADY_RECEIVED,
    CERTIFICATE_REVOKED,
    DESTINATION_MISMATCH,
    NO_TAG_ON_CERTIFICATE,
    SPECIES_NOT_FOLLOWED,
    TAGS_ALREADY_KNOWN,
)
from earmark.movements.models import CheckpointCheck, ForeignReceipt
from earmark.quarantine.models import ForeignCertificate


def foreign_receipt_lock(certificate: ForeignCertificate, premises: Premises) -> ForeignCertificate:
    """The certificate, locked, if it may be received at ``premises``: not received already,
    not revoked by its issuer, and sent here (its destination premises, else its region)."""
    certificate = ForeignCertificate.objects.select_for_update().get(pk=certificate.pk)
    if ForeignReceipt.objects.filter(certificate=certificate).exists():
        raise BusinessError(
            _("Certificate %(number)s has been received already.") % {"number": certificate.number},
            code=CERTIFICATE_ALREADY_RECEIVED,
        )
    if certificate.revoked_at is not None:
        raise BusinessError(
            _("Certificate %(number)s was revoked by the province that issued it: %(reason)s")
            % {"number": certificate.number, "reason": certificate.revoked_reason or "—"},
            code=CERTIFICATE_REVOKED,
        )
    fields = signing.payload_fields(certificate.payload)
    target = str(fields.get("dp", ""))
    region = str(fields.get("d", ""))
    if (target and target != premises.code) or (
        not target and not is_within(premises.township_id, region)
    ):
        raise BusinessError(
            _("Certificate %(number)s sends the animals to %(place)s, not here.")
            % {"number": certificate.number, "place": certificate.destination},
            code=DESTINATION_MISMATCH,
        )
    return certificate


@dataclass(frozen=True)
class Taken:
    declared: RangeSet
    received: RangeSet
    extra: RangeSet

    @property
    def missing(self) -> RangeSet:
        return self.declared.difference(self.received)


def foreign_tags_take(
    *,
    actor: User,
    certificate: ForeignCertificate,
    premises: Premises,
    scanned: RangeSet,
    arrived_at: datetime,
    slaughtered: bool,
) -> Taken:
    """The certificate's tags read at ``premises`` become tags of ours on animals of ours —
    applied and alive at a farm or market, recovered and slaughtered at a slaughterhouse — with
    their events and the premises' stock."""
    declared = RangeSet.of((a, b) for a, b in certificate.tags)
    received = scanned.intersection(declared)
    if not received:
        raise BusinessError(code=NO_TAG_ON_CERTIFICATE)
    known = list(
        Tag.objects.filter(number__in=list(received.expand())).values_list("number", flat=True)
    )
    if known:
        raise BusinessError(
            _("These tags are in the system already: %(ranges)s.")
            % {"ranges": format_ranges(RangeSet.from_numbers(known))},
            code=TAGS_ALREADY_KNOWN,
        )
    species = certificate.species
    if not species_known(species):
        raise BusinessError(code=SPECIES_NOT_FOLLOWED)
    fields = signing.payload_fields(certificate.payload)
    animals = Animal.objects.bulk_create(
        [
            Animal(
                species=species,
                premises=premises,
                county_code=premises.county_code,
                arrived_from=str(fields.get("ot", ""))[:6],
                is_breeding=certificate.purpose == "breeding",
                is_dairy=certificate.purpose == "dairy",
                status=Animal.Status.SLAUGHTERED if slaughtered else Animal.Status.ALIVE,
            )
            for _number in received.expand()
        ]
    )
    tags = Tag.objects.bulk_create(
        [
            Tag(
                number=number,
                species=species,
                state=Tag.State.RECOVERED if slaughtered else Tag.State.APPLIED,
                county_code=premises.county_code,
                township_code=premises.township_id,
                premises=premises,
                origin_province=certificate.province,
            )
            for number in received.expand()
        ]
    )
    AnimalTag.objects.bulk_create(
        [
            AnimalTag(
                tag=tag,
                animal=animal,
                ear=AnimalTag.Ear.LEFT,
                reason=AnimalTag.Reason.FIRST,
                source_holder=certificate.province,
                applied_on=timezone.localtime(arrived_at).date(),
                applied_at=arrived_at,
                applied_by=actor,
            )
            for tag, animal in zip(tags, animals, strict=True)
        ]
    )
    kinds = [TagEvent.Kind.ARRIVED, *([TagEvent.Kind.RECOVERED] if slaughtered else [])]
    tag_events_save(
        [
            TagEvent(
                first=first,
                last=last,
                kind=kind,
                species=species,
                county_code=premises.county_code,
                township_code=premises.township_id,
                holder=premises.name,
                document_type="certificate",
                document_id=certificate.number,
                actor=actor,
            )
            for kind in kinds
            for first, last in received
        ]
    )
    stock_change_apply(
        premises=premises,
        species=species,
        delta=received.count,
        reason=StockChange.Reason.ARRIVAL_IN,
        actor=actor,
        document_type="certificate",
        document_id=certificate.number,
    )
    return Taken(declared, received, scanned.difference(declared))


# What the origin province is told went wrong, by the name both provinces read.
PROBLEMS = {
    "mismatch": gettext_noop("tags do not match the certificate"),
    "late": gettext_noop("reported more than 24 hours after arrival"),
    "no_checkpoint": gettext_noop("no check at a designated checkpoint"),
    "disease": gettext_noop("found unfit at the slaughter inspection"),
    "untagged": gettext_noop("animals without a tag"),
}


def origin_tell(receipt: ForeignReceipt, problems: list[str]) -> None:
    """Tell the issuing province, through the platform and signed with this province's key,
    that its certificate was received here (at a slaughterhouse: its tags recovered), and what
    went wrong, as an alert to its origin county (art. 21), written in Chinese."""
    certificate, premises = receipt.certificate, receipt.premises
    outbox_emit(
        "foreign_certificate.received",
        f"certificate:{certificate.number}",
        {
            "number": certificate.number,
            "province": certificate.province,
            "premises": premises.code,
            "kind": receipt.kind,
            "arrived_at": receipt.arrived_at,
            "received": receipt.received,
            "missing": receipt.missing,
            "signed": signing.sign(
                {
                    "n": certificate.number,
                    "p": settings.EARMARK_PROVINCE_CODE,
                    "pm": premises.code,
                    "at": receipt.arrived_at.isoformat(),
                    "k": receipt.kind,
                    "r": receipt.received,
                }
            ),
        },
    )
    if not problems:
        return
    with translation.override("zh-hans"):
        message = _("Certificate %(number)s, received at %(place)s: %(problems)s.") % {
            "number": certificate.number,
            "place": premises.name,
            "problems": "；".join(_(PROBLEMS[p]) for p in problems),
        }
    outbox_emit(
        "alert.raised",
        f"certificate:{certificate.number}",
        {
            "province": settings.EARMARK_PROVINCE_CODE,
            "origin_province": certificate.province,
            "certificate": certificate.number,
            "problems": problems,
            "message": message,
            "premises": premises.name,
            "arrived_at": receipt.arrived_at,
            "missing": receipt.missing,
            "extra": receipt.extra,
            # The alert as the origin province believes it: signed with this province's key.
            "signed": signing.sign(
                {
                    "c": certificate.number,
                    "p": settings.EARMARK_PROVINCE_CODE,
                    "pr": problems,
                    "m": message,
                    "pm": premises.name,
                    "at": receipt.arrived_at.isoformat(),
                    "mi": receipt.missing,
                    "ex": receipt.extra,
                }
            ),
        },
    )


def issuer_tell_check(certificate: ForeignCertificate, check: CheckpointCheck) -> None:
    """Tell the issuing province, as an alert signed with this province's key, that its
    certificate did not match the vehicle at one of our checkpoints, each difference named."""
    differing = [f for f in check.findings if f["code"] != "restricted"]
    if not differing:
        return
    with translation.override("zh-hans"):
        message = _("Certificate %(number)s, checked at %(place)s: %(problems)s") % {
            "number": certificate.number,
            "place": check.place,
            "problems": " ".join(f["message"] for f in differing),
        }
    at = check.checked_at.isoformat()
    outbox_emit(
        "alert.raised",
        f"certificate:{certificate.number}",
        {
            "province": settings.EARMARK_PROVINCE_CODE,
            "origin_province": certificate.province,
            "certificate": certificate.number,
            "problems": ["mismatch"],
            "message": message,
            "premises": check.place,
            "arrived_at": check.checked_at,
            "missing": [],
            "extra": [],
            "signed": signing.sign(
                {
                    "c": certificate.number,
                    "p": settings.EARMARK_PROVINCE_CODE,
                    "pr": ["mismatch"],
                    "m": message,
                    "pm": check.place,
                    "at": at,
                    "mi": [],
                    "ex": [],
                }
            ),
        },
    )
