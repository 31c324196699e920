"""Animals arriving from another province (#17) under a type A certificate the national platform
handed over: received only where it sends them, once; the tags that arrived go on animals of
the destination premises — marked as come from outside, so that re-immunization (Order 13 art.
14) applies and they trace here; a report later than 24 hours after arrival of animals for
raising is flagged; breeding and dairy animals are kept in isolation (隔离观察) first."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.codes import is_within
from earmark.core.errors import BusinessError
from earmark.core.preview import dry_run
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
from earmark.movements.services.receipts import ReceiptPlan, arrival_refusals
from earmark.quarantine.models import ForeignCertificate

# Animals for raising are reported within this long of arrival.
REPORT_HOURS = 24


@transaction.atomic
def foreign_arrival_report(
    *,
    actor: User,
    certificate: ForeignCertificate,
    premises: Premises,
    scanned: RangeSet,
    arrived_at: datetime,
) -> ForeignReceipt:
    require_region(actor, premises.township_id)
    require_role(actor, Role.DESTINATION_STAFF, Role.TOWNSHIP_OFFICER)
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
    valid_from = timezone.make_aware(datetime.combine(certificate.valid_from, time.min))
    arrival_refusals(
        premises=premises,
        number=certificate.number,
        arrived_at=arrived_at,
        valid_from=valid_from,
        valid_until=certificate.valid_until,
    )
    now = timezone.now()
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
    origin_county = str(fields.get("ot", ""))[:6]
    breeding = certificate.purpose in ("breeding", "dairy")
    animals = Animal.objects.bulk_create(
        [
            Animal(
                species=species,
                premises=premises,
                county_code=premises.county_code,
                arrived_from=origin_county,
                is_breeding=certificate.purpose == "breeding",
                is_dairy=certificate.purpose == "dairy",
            )
            for _number in received.expand()
        ]
    )
    tags = Tag.objects.bulk_create(
        [
            Tag(
                number=number,
                species=species,
                state=Tag.State.APPLIED,
                county_code=premises.county_code,
                township_code=premises.township_id,
                premises=premises,
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
    tag_events_save(
        [
            TagEvent(
                first=first,
                last=last,
                kind=TagEvent.Kind.ARRIVED,
                species=species,
                county_code=premises.county_code,
                township_code=premises.township_id,
                holder=premises.name,
                document_type="certificate",
                document_id=certificate.number,
                actor=actor,
            )
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
    receipt = ForeignReceipt.objects.create(
        certificate=certificate,
        premises=premises,
        arrived_at=arrived_at,
        received=received.as_lists(),
        missing=declared.difference(received).as_lists(),
        extra=scanned.difference(declared).as_lists(),
        late=certificate.purpose == "raising" and now - arrived_at > timedelta(hours=REPORT_HOURS),
        isolation_until=(
            timezone.localtime(arrived_at).date() + timedelta(days=settings.EARMARK_ISOLATION_DAYS)
            if breeding
            else None
        ),
        recorded_by=actor,
    )
    outbox_emit(
        "foreign_certificate.received",
        f"certificate:{certificate.number}",
        {
            "number": certificate.number,
            "province": certificate.province,
            "premises": premises.code,
            "arrived_at": arrived_at,
            "received": receipt.received,
            "missing": receipt.missing,
            # Signed: the issuing province believes only this (its certificate is used).
            "signed": signing.sign(
                {
                    "n": certificate.number,
                    "p": settings.EARMARK_PROVINCE_CODE,
                    "pm": premises.code,
                    "at": arrived_at.isoformat(),
                }
            ),
        },
    )
    _alert_origin(certificate, receipt)
    audit_record(
        actor=actor,
        action="foreign_certificate.receive",
        obj=receipt,
        region_code=premises.township_id,
        details={"number": certificate.number, "received": received.count, "late": receipt.late},
    )
    return receipt


def _alert_origin(certificate: ForeignCertificate, receipt: ForeignReceipt) -> None:
    """What went wrong on the way is sent to the province that issued the certificate, through
    the national platform, as an alert to its origin county (art. 21): a late report, tags that
    do not match, no check at a designated checkpoint. Written in Chinese for its officials."""
    passed = CheckpointCheck.objects.filter(
        number=certificate.number, checkpoint__isnull=False
    ).exists()
    problems = [
        name
        for name, found in (
            ("mismatch", bool(receipt.missing or receipt.extra)),
            ("late", receipt.late),
            ("no_checkpoint", not passed),
        )
        if found
    ]
    if not problems:
        return
    with translation.override("zh-hans"):
        texts = {
            "mismatch": _("tags do not match the certificate"),
            "late": _("reported more than 24 hours after arrival"),
            "no_checkpoint": _("no check at a designated checkpoint"),
        }
        message = _("Certificate %(number)s, received at %(place)s: %(problems)s.") % {
            "number": certificate.number,
            "place": receipt.premises.name,
            "problems": "；".join(str(texts[p]) for p in problems),
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
            "premises": receipt.premises.name,
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
                    "pm": receipt.premises.name,
                    "at": receipt.arrived_at.isoformat(),
                    "mi": receipt.missing,
                    "ex": receipt.extra,
                }
            ),
        },
    )


def foreign_arrival_preview(**arguments: Any) -> ReceiptPlan:
    """What ``foreign_arrival_report`` with the same arguments would record, or its refusal."""

    def plan() -> ReceiptPlan:
        receipt = foreign_arrival_report(**arguments)
        return ReceiptPlan(
            received=RangeSet.of(tuple(r) for r in receipt.received),
            missing=RangeSet.of(tuple(r) for r in receipt.missing),
            extra=RangeSet.of(tuple(r) for r in receipt.extra),
        )

    return dry_run(plan)
