from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from earmark.accounts.access import request_user
from earmark.core.errors import NotFound
from earmark.core.http import attachment
from earmark.eartags.codes import format_range
from earmark.eartags.messages import read_numbers
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Restriction
from earmark.farms.selectors import premises_find, premises_get
from earmark.movements import selectors
from earmark.movements.documents import destruction_pdf
from earmark.movements.models import (
    Alert,
    Death,
    DestructionBatch,
    ForeignReceipt,
    Receipt,
    RestrictionOverride,
)
from earmark.movements.schemas import (
    AcknowledgeIn,
    AlertOut,
    ArrivalIn,
    CheckpointCheckIn,
    CheckpointSnapshotOut,
    DeathIn,
    DeathOut,
    DestructionIn,
    DestructionOut,
    ForeignReceiptOut,
    OverdueOut,
    OverrideIn,
    OverrideOut,
    ReceiptOut,
    ReceiptPreviewOut,
    RedirectIn,
    RedirectOut,
    SlaughterIn,
    tag_texts,
)
from earmark.movements.selectors import certificate_restriction
from earmark.movements.services import alerts as alerts_service
from earmark.movements.services import redirects
from earmark.movements.services.arrivals import arrival_preview, arrival_report
from earmark.movements.services.checkpoints import Seen, checkpoint_check
from earmark.movements.services.deaths import death_report, disposal_confirm
from earmark.movements.services.destruction import destruction_record
from earmark.movements.services.foreign_arrivals import foreign_arrival_report
from earmark.movements.services.overrides import restriction_override
from earmark.movements.services.receipts import ReceiptPlan
from earmark.movements.services.receiving import slaughter_inspect, slaughter_inspect_preview
from earmark.quarantine.models import Certificate, ForeignCertificate, Redirect
from earmark.quarantine.registry import foreign_certificate_get
from earmark.quarantine.selectors import (
    certificate_find,
    certificate_get,
)

router = Router(tags=["movements"])


def certificate_summary(certificate: Certificate | None) -> dict[str, Any] | None:
    """What a checkpoint or a destination needs to see: no owner name or phone."""
    if certificate is None:
        return None
    return {
        "number": certificate.number,
        "kind": certificate.kind,
        "species": certificate.species,
        "quantity": certificate.quantity,
        "origin_premises": certificate.premises.code,
        "origin_township": certificate.township_code,
        "destination": certificate.destination,
        "vehicle_plate": certificate.vehicle_plate,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "tags": [str(r) for r in certificate.ranges.all()],
    }


def foreign_summary(foreign: ForeignCertificate | None) -> dict[str, Any] | None:
    """Another province's certificate as the platform handed it over."""
    if foreign is None:
        return None
    return {
        "number": foreign.number,
        "kind": "A",
        "province": foreign.province,
        "species": foreign.species,
        "quantity": foreign.quantity,
        "origin": foreign.origin,
        "destination": foreign.destination,
        "valid_from": foreign.valid_from,
        "valid_until": foreign.valid_until,
        "tags": [f"{a:015d}-{b:015d}" if a != b else f"{a:015d}" for a, b in foreign.tags],
        "revoked_at": foreign.revoked_at,
        "revoked_reason": foreign.revoked_reason,
    }


@router.get(
    "/checkpoint-checks/snapshot",
    response=CheckpointSnapshotOut,
    summary="What a checkpoint's phone keeps to check certificates offline",
)
def checkpoint_checks_snapshot(request: HttpRequest) -> selectors.CheckpointSnapshot:
    return selectors.checkpoint_snapshot(user=request_user(request))


@router.post(
    "/checkpoint-checks", response={201: dict[str, Any]}, summary="Check a certificate on the road"
)
def checkpoint_checks_create(
    request: HttpRequest, payload: CheckpointCheckIn
) -> Status[dict[str, Any]]:
    fields = payload.dict()
    seen = Seen(
        **{k: fields.pop(k) for k in ("vehicle_plate", "animals_seen", "tags_read", "disinfected")}
    )
    # The check and its answer together: a check is never recorded without its answer.
    with transaction.atomic():
        outcome = checkpoint_check(actor=request_user(request), seen=seen, **fields)
        answer = {
            "result": outcome.check.result,
            "findings": outcome.check.findings,
            "signature_valid": outcome.check.signature_valid,
            "checked_at": outcome.check.checked_at,
            "issuing_province": outcome.check.issuing_province or settings.EARMARK_PROVINCE_CODE,
            "certificate": certificate_summary(outcome.certificate)
            or foreign_summary(outcome.foreign),
            "restriction": restriction_summary(certificate_restriction(outcome.certificate)),
        }
    return Status(201, answer)


def restriction_summary(restriction: Restriction | None) -> dict[str, Any] | None:
    """What a checkpoint is told of a restriction over the certificate's places."""
    if restriction is None:
        return None
    return {
        "id": restriction.pk,
        "kind": restriction.kind,
        "reason": restriction.reason,
        "since": restriction.starts_at,
    }


def _arrival(request: HttpRequest, payload: ArrivalIn) -> dict[str, Any]:
    user = request_user(request)
    return {
        "actor": user,
        "certificate": certificate_find(payload.certificate),
        "premises": premises_get(user=user, code=payload.premises),
        "scanned": read_numbers(payload.tags),
        "arrived_at": payload.arrived_at or timezone.now(),
    }


def _slaughter(request: HttpRequest, payload: SlaughterIn) -> dict[str, Any]:
    user = request_user(request)
    number = payload.certificate.strip()
    return {
        "actor": user,
        # Ours, or another province's as the platform handed it over.
        "certificate": foreign_certificate_get(number=number) or certificate_find(number),
        "slaughterhouse": premises_get(user=user, code=payload.premises),
        "scanned": read_numbers(payload.tags),
        "passed": payload.passed,
        "findings": payload.findings,
        "finding_kinds": payload.finding_kinds,
        "untagged": payload.untagged,
    }


def _plan(plan: ReceiptPlan) -> dict[str, list[str]]:
    return {
        "received": tag_texts([list(r) for r in plan.received]),
        "missing": tag_texts([list(r) for r in plan.missing]),
        "extra": tag_texts([list(r) for r in plan.extra]),
    }


@router.post("/arrivals", response={201: ReceiptOut}, summary="Report an arrival at a farm")
def arrivals_create(request: HttpRequest, payload: ArrivalIn) -> Status[Receipt]:
    return Status(201, arrival_report(**_arrival(request, payload)))


@router.post(
    "/foreign-arrivals",
    response={201: ForeignReceiptOut},
    summary="Report the arrival of animals under another province's certificate",
)
def foreign_arrivals_create(request: HttpRequest, payload: ArrivalIn) -> Status[ForeignReceipt]:
    user = request_user(request)
    certificate = foreign_certificate_get(number=payload.certificate.strip())
    if certificate is None:
        raise NotFound(
            _("The platform has handed over no certificate %(number)s for this province.")
            % {"number": payload.certificate.strip()}
        )
    receipt = foreign_arrival_report(
        actor=user,
        certificate=certificate,
        premises=premises_get(user=user, code=payload.premises),
        scanned=read_numbers(payload.tags),
        arrived_at=payload.arrived_at or timezone.now(),
    )
    return Status(201, receipt)


@router.post(
    "/arrivals/preview",
    response=ReceiptPreviewOut,
    summary="What reporting this arrival would record, or why it would be refused",
)
def arrivals_preview(request: HttpRequest, payload: ArrivalIn) -> dict[str, list[str]]:
    return _plan(arrival_preview(**_arrival(request, payload)))


@router.post(
    "/slaughter-inspections",
    response={201: ReceiptOut},
    summary="Slaughter inspection, tags recovered",
)
def slaughter_inspections_create(
    request: HttpRequest, payload: SlaughterIn
) -> Status[Receipt | ForeignReceipt]:
    return Status(201, slaughter_inspect(**_slaughter(request, payload)))


@router.post(
    "/slaughter-inspections/preview",
    response=ReceiptPreviewOut,
    summary="What this slaughter inspection would record, or why it would be refused",
)
def slaughter_inspections_preview(
    request: HttpRequest, payload: SlaughterIn
) -> dict[str, list[str]]:
    return _plan(slaughter_inspect_preview(**_slaughter(request, payload)))


@router.post(
    "/certificates/{number}/redirect",
    response={201: RedirectOut},
    summary="Record a change of destination before the animals are received",
)
def certificates_redirect(
    request: HttpRequest, number: str, payload: RedirectIn
) -> Status[Redirect]:
    user = request_user(request)
    redirect = redirects.certificate_redirect(
        actor=user,
        certificate=certificate_get(user=user, number=number),
        to_premises=premises_find(code=payload.premises),
        reason=payload.reason,
    )
    return Status(201, redirect)


@router.post(
    "/certificates/{number}/restriction-override",
    response={201: OverrideOut},
    summary="Let animals in although their origin fell under a movement restriction",
    description="By the destination county, with its reason, once: until then the receipt of "
    "a certificate whose origin is restricted is refused (`certificate_restricted`).",
)
def certificates_restriction_override_create(
    request: HttpRequest, number: str, payload: OverrideIn
) -> Status[RestrictionOverride]:
    user = request_user(request)
    override = restriction_override(
        actor=user, certificate=certificate_get(user=user, number=number), reason=payload.reason
    )
    return Status(201, override)


@router.post("/deaths", response={201: DeathOut}, summary="Report deaths and harmless disposal")
def deaths_create(request: HttpRequest, payload: DeathIn) -> Status[Death]:
    user = request_user(request)
    plant = premises_find(code=payload.disposal_plant) if payload.disposal_plant else None
    death = death_report(
        actor=user,
        premises=premises_get(user=user, code=payload.premises),
        species=payload.species,
        numbers=read_numbers(payload.tags) if payload.tags.strip() else RangeSet(),
        untagged=payload.untagged,
        cause=payload.cause,
        disposal_plant=plant,
    )
    return Status(201, death)


@router.post(
    "/deaths/{death_id}/confirm-disposal",
    response=DeathOut,
    summary="The disposal plant confirms",
)
def deaths_confirm_disposal(request: HttpRequest, death_id: int) -> Death:
    user = request_user(request)
    death = selectors.death_for_disposal(user=user, death_id=death_id)
    return disposal_confirm(actor=user, death=death)


@router.get("/tag-destructions/pending", summary="Recovered and voided tags the county still holds")
def tag_destructions_pending(request: HttpRequest) -> dict[str, Any]:
    pending = selectors.destruction_pending(user=request_user(request))
    return {
        "recovered": [format_range(a, b) for a, b in pending.recovered],
        "recovered_count": pending.recovered.count,
        "voided": [str(h) for h in pending.voided],
        "voided_count": pending.voided_count,
    }


@router.post(
    "/tag-destructions", response={201: DestructionOut}, summary="Record a destruction batch"
)
def tag_destructions_create(
    request: HttpRequest, payload: DestructionIn
) -> Status[DestructionBatch]:
    batch = destruction_record(
        actor=request_user(request),
        numbers=read_numbers(payload.tags) if payload.tags.strip() else RangeSet(),
        include_voided=payload.include_voided,
        destroyed_on=payload.destroyed_on,
        method=payload.method,
        witnesses=payload.witnesses,
        place=payload.place,
    )
    return Status(201, batch)


@router.get(
    "/tag-destructions/{number}/pdf",
    summary="The destruction record (耳标销毁记录) to print, sign and stamp",
    response={200: None},
)
def tag_destructions_pdf(request: HttpRequest, number: str) -> HttpResponse:
    batch = selectors.destruction_get(user=request_user(request), number=number)
    return attachment(destruction_pdf(batch), "application/pdf", f"{batch.number}.pdf")


@router.get(
    "/alerts",
    response=list[AlertOut],
    summary="Alerts to your agency",
    description="`open`: not yet answered; `overdue`: unanswered past their deadline (art. 29).",
)
@paginate
def alerts_list(request: HttpRequest, open: bool = False, overdue: bool = False) -> object:
    return selectors.alert_list(user=request_user(request), open_only=open, overdue_only=overdue)


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut, summary="Acknowledge an alert")
def alerts_acknowledge(request: HttpRequest, alert_id: int, payload: AcknowledgeIn) -> Alert:
    user = request_user(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    return alerts_service.alert_acknowledge(
        actor=user, alert=alert, action_taken=payload.action_taken
    )


@router.get(
    "/overdue-certificates",
    response=list[OverdueOut],
    summary="Certificates past validity that nobody received",
)
@paginate
def overdue_certificates_list(request: HttpRequest) -> Any:
    return selectors.overdue_certificates(user=request_user(request))
