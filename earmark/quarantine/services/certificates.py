"""Certificates: issued by the official vet for tagged, protected animals; issuing lowers the
farm's stock and puts every tag in transit in one transaction; revocation undoes that."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.eartags.messages import tag_pairs
from earmark.eartags.ranges import RangeSet
from earmark.eartags.services.usage import tags_transition
from earmark.farms.models import StockChange
from earmark.farms.services.stock import premises_lock, stock_change_apply
from earmark.immunization.models import Animal, AnimalTag
from earmark.quarantine.errors import (
    CERTIFICATE_NOT_VALID,
    DECLARATION_WRONG_STATUS,
    NOT_REPLACEABLE,
    REVIEW_FAILED,
)
from earmark.quarantine.models import (
    Certificate,
    CertificateRange,
    Declaration,
)
from earmark.quarantine.services.journey import Journey, journey_checked
from earmark.quarantine.services.numbering import certificate_number
from earmark.quarantine.services.payloads import payload_fields
from earmark.quarantine.services.review import (
    declaration_data_of,
    declaration_review,
    declared_numbers,
)
from earmark.quarantine.services.validity import (
    certificate_validity,
    issue_day_check,
    valid_until_chosen,
)
from earmark.regions.gate import require_enabled
from earmark.regions.provinces import PROVINCES, leaves_province
from earmark.regions.selectors import region_names


def place_and_detail(names: list[str], detail: str) -> str:
    """A region's names (province first) and what lies within it, each place named once: an
    address typed as "其塔木镇东岗村" under 其塔木镇, or "黑龙江省哈尔滨市…" under 黑龙江省, does
    not repeat them."""
    detail = detail.strip()
    stripped = True
    while stripped:
        stripped = False
        for name in names:
            if name and detail.startswith(name):
                detail = detail[len(name) :].lstrip()
                stripped = True
    return "".join(names) + detail


def _destination(declaration: Declaration, names: dict[str, list[str]]) -> str:
    region = declaration.destination_region_id
    place = names[region] if region else [PROVINCES.get(declaration.destination_province, "")]
    target = declaration.destination_premises
    if target is not None:
        return f"{''.join(place)} {target.name}（{target.code}）"
    return place_and_detail(place, declaration.destination_address)


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    declaration: Declaration,
    valid_until: date | None = None,
    validity_days: int | None = None,
    supersedes: Certificate | None = None,
    journey: Journey | None = None,
) -> Certificate:
    """Issue the certificate after the inspection. Every check of the declaration runs again,
    through the same review, so that a farm sent back to verification, a tag that changed
    state or a protection that ran out since the declaration stops the certificate."""
    require_region(actor, declaration.township_code)
    require_role(actor, Role.OFFICIAL_VET)
    require_enabled(declaration.county_code)
    declaration = (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("premises", "destination_premises")
        .get(pk=declaration.pk)
    )
    if declaration.status != Declaration.Status.INSPECTED:
        raise BusinessError(
            _("A certificate is issued after an inspection that found the animals fit."),
            code=DECLARATION_WRONG_STATUS,
        )
    if supersedes is not None:
        supersedes = Certificate.objects.select_for_update().get(pk=supersedes.pk)
    if supersedes is not None and (
        supersedes.declaration_id != declaration.pk
        or supersedes.status != Certificate.Status.REVOKED
    ):
        raise BusinessError(
            _("Only a revoked certificate of this declaration can be replaced."),
            code=NOT_REPLACEABLE,
        )
    # Declarations and certificates of one farm take turns, as at submission.
    premises = premises_lock(declaration.premises)
    numbers = declared_numbers(declaration)
    now = timezone.now()
    review = declaration_review(
        premises=premises,
        data=declaration_data_of(declaration, numbers),
        now=now,
        exclude=declaration.pk,
        at_issue=True,
    )
    if not review.ok:
        raise review.refusal(
            _("No certificate: the declaration no longer passes every check."),
            code=REVIEW_FAILED,
        )
    today = timezone.localdate()
    validity = certificate_validity(declaration)
    issue_day_check(validity.departure, today)
    until = valid_until_chosen(validity, valid_until, validity_days)
    kind = (
        Certificate.Kind.A
        if leaves_province(declaration.destination_province)
        else Certificate.Kind.B
    )
    journey = journey or Journey()
    site = journey_checked(journey, kind=kind, declaration=declaration)
    number = certificate_number(str(kind), today)
    premises = declaration.premises
    # The places' full names, for the certificate.
    names = region_names(codes=[premises.township_id, declaration.destination_region_id or ""])
    tags_transition(
        numbers=list(numbers.expand()),
        event="certify",
        actor=actor,
        holder=f"{declaration.carrier_name} {declaration.vehicle_plate}",
        document_type="certificate",
        document_id=number,
    )
    animal_ids = AnimalTag.objects.filter(tag_id__in=list(numbers.expand())).values_list(
        "animal_id", flat=True
    )
    Animal.objects.filter(pk__in=animal_ids).update(status=Animal.Status.IN_TRANSIT)
    stock_change_apply(
        premises=premises,
        species=declaration.species,
        delta=-declaration.quantity,
        reason=StockChange.Reason.CERTIFICATE_OUT,
        actor=actor,
        document_type="certificate",
        document_id=number,
    )
    certificate = Certificate(
        number=number,
        kind=kind,
        declaration=declaration,
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        species=declaration.species,
        quantity=declaration.quantity,
        purpose=declaration.purpose,
        owner_name=premises.owner_name,
        owner_phone=premises.phone,
        origin=place_and_detail(names[premises.township_id], premises.address),
        destination_province=declaration.destination_province,
        destination_region_id=declaration.destination_region_id,
        destination=_destination(declaration, names),
        destination_premises=declaration.destination_premises,
        planned_departure=declaration.planned_departure,
        carrier_name=declaration.carrier_name,
        carrier_phone=declaration.carrier_phone,
        vehicle_plate=declaration.vehicle_plate,
        transport_mode=journey.transport_mode,
        disinfection=journey.disinfection,
        checkpoint=site.name if site else "",
        checkpoint_site=site,
        valid_from=validity.departure,
        valid_until=until,
        issued_by=actor,
        issued_at=now,
        supersedes=supersedes,
    )
    certificate.payload = signing.sign(payload_fields(certificate, numbers))
    certificate.save()
    CertificateRange.objects.bulk_create(
        CertificateRange(certificate=certificate, first=a, last=b) for a, b in numbers
    )
    declaration.status = Declaration.Status.CERTIFIED
    declaration.save(update_fields=["status"])
    outbox_emit(
        "certificate.issued",
        f"certificate:{certificate.number}",
        {
            "number": certificate.number,
            "kind": certificate.kind,
            "premises": premises.code,
            "species": certificate.species,
            "quantity": certificate.quantity,
            "purpose": certificate.purpose,
            "destination_province": certificate.destination_province,
            "destination": certificate.destination,
            "destination_premises": (
                certificate.destination_premises.code if certificate.destination_premises else None
            ),
            "planned_departure": certificate.planned_departure,
            "valid_from": certificate.valid_from,
            "valid_until": certificate.valid_until,
            "issued_at": certificate.issued_at,
            "supersedes": supersedes.number if supersedes else None,
            "tags": tag_pairs(numbers),
            # What another province needs to check it: who issued it, where from, and the
            # signed payload of its QR code (checked against the issuer's published key).
            "province": settings.EARMARK_PROVINCE_CODE,
            "origin": certificate.origin,
            "payload": certificate.payload,
            # What the QR code leaves out, signed too: another province believes nothing else.
            "details": signing.sign(
                {
                    "n": certificate.number,
                    "pu": certificate.purpose,
                    "on": certificate.origin,
                    "dn": certificate.destination,
                }
            ),
        },
    )
    audit_record(
        actor=actor,
        action="certificate.issue",
        obj=certificate,
        region_code=premises.township_id,
        details={
            "number": number,
            "kind": kind,
            "quantity": declaration.quantity,
            "valid_until": until.isoformat(),
            "supersedes": supersedes.number if supersedes else None,
        },
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke before the animals arrive: tags back on the farm, stock restored."""
    require_region(actor, certificate.township_code)
    require_role(actor, Role.OFFICIAL_VET)
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("premises", "declaration")
        .get(pk=certificate.pk)
    )
    if certificate.status != Certificate.Status.VALID:
        raise BusinessError(
            _("The certificate is %(status)s and cannot be revoked.")
            % {"status": certificate.get_status_display()},
            code=CERTIFICATE_NOT_VALID,
        )
    if not reason.strip():
        raise BusinessError(
            _("Give the reason for revoking."),
            code=INVALID_INPUT,
            fields={"reason": _("Give the reason for revoking.")},
        )
    numbers = RangeSet.of(certificate.ranges.values_list("first", "last"))
    tags_transition(
        numbers=list(numbers.expand()),
        event="revoke",
        actor=actor,
        holder=certificate.premises.name,
        document_type="certificate",
        document_id=certificate.number,
    )
    animal_ids = AnimalTag.objects.filter(tag_id__in=list(numbers.expand())).values_list(
        "animal_id", flat=True
    )
    Animal.objects.filter(pk__in=animal_ids).update(status=Animal.Status.ALIVE)
    stock_change_apply(
        premises=certificate.premises,
        species=certificate.species,
        delta=certificate.quantity,
        reason=StockChange.Reason.CORRECTION,
        actor=actor,
        document_type="certificate",
        document_id=certificate.number,
        note=gettext_noop("Certificate revoked"),
    )
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_reason = reason.strip()[:200]
    certificate.revoked_by = actor
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["status", "revoked_reason", "revoked_by", "revoked_at"])
    Declaration.objects.filter(pk=certificate.declaration_id).update(
        status=Declaration.Status.INSPECTED
    )
    outbox_emit(
        "certificate.revoked",
        f"certificate:{certificate.number}",
        {
            "province": settings.EARMARK_PROVINCE_CODE,
            "number": certificate.number,
            "reason": certificate.revoked_reason,
            "revoked_at": certificate.revoked_at,
            # The revocation as another province believes it: signed with this province's key.
            "signed": signing.sign(
                {
                    "n": certificate.number,
                    "p": settings.EARMARK_PROVINCE_CODE,
                    "rv": certificate.revoked_reason,
                    "ra": certificate.revoked_at.isoformat(),
                }
            ),
        },
    )
    audit_record(
        actor=actor,
        action="certificate.revoke",
        obj=certificate,
        region_code=certificate.township_code,
        details={"reason": certificate.revoked_reason},
    )
    return certificate
