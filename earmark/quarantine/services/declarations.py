"""Declarations: submission after the review, the station's acceptance or rejection and the
vet's on-site inspection."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import INVALID_INPUT, BusinessError
from earmark.core.preview import dry_run
from earmark.core.sequences import sequence_take
from earmark.core.validators import normalize_plate
from earmark.eartags.models import Tag, TagEvent
from earmark.eartags.services.usage import events_record
from earmark.farms.models import Premises
from earmark.farms.selectors import dealer_by_code, vehicle_by_plate
from earmark.farms.services.stock import premises_lock
from earmark.quarantine.errors import DECLARATION_WRONG_STATUS
from earmark.quarantine.models import Declaration, DeclaredRange, Refusal
from earmark.quarantine.services.review import declaration_review
from earmark.quarantine.services.review_data import DeclarationData, Review


class DeclarationRefused(BusinessError):
    def __init__(self, review: Review) -> None:
        refusal = review.refusal()
        super().__init__(refusal.message, code=refusal.code)
        self.detail = refusal.detail
        self.review = review


def declaration_submit(
    *, premises: Premises, data: DeclarationData, entered_by: User | None = None
) -> Declaration:
    """Submit a declaration from the farm's QR page (no user) or by its township station.
    A refusal for unregistered or foreign tags or for too many animals is kept for the agency
    (``Refusal``), in a transaction of its own, and the refusal is raised."""
    try:
        return _submit(premises=premises, data=data, entered_by=entered_by)
    except DeclarationRefused as refused:
        if refused.review.worth_reporting:
            _refusal_record(premises, data, entered_by, refused)
        raise


def declaration_preview(
    *, premises: Premises, data: DeclarationData, entered_by: User | None = None
) -> dict[str, object]:
    """What submitting would record, or the very refusal it would give (nothing is kept, not
    even the refusal log)."""

    def run() -> dict[str, object]:
        declaration = declaration_submit(premises=premises, data=data, entered_by=entered_by)
        return {
            "quantity": declaration.quantity,
            "tags": [str(r) for r in declaration.ranges.all()],
            "ranges": [str(r) for r in declaration.ranges.all()],
            "purpose": declaration.purpose,
        }

    return dry_run(run)


@transaction.atomic
def _refusal_record(
    premises: Premises, data: DeclarationData, entered_by: User | None, refused: DeclarationRefused
) -> None:
    review = refused.review
    Refusal.objects.create(
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        channel=Declaration.Channel.OFFICER if entered_by else Declaration.Channel.FARM,
        entered_by=entered_by,
        species=data.species[:10],
        quantity=max(data.quantity, 0),
        dealer=dealer_by_code(code=data.dealer.strip()[:16]) if data.dealer.strip() else None,
        on_hand=review.on_hand,
        unregistered=review.unregistered.as_lists(),
        unregistered_count=review.unregistered.count,
        foreign=review.foreign.as_lists(),
        foreign_count=review.foreign.count,
        over_stock=review.over_stock,
        detail=refused.detail,
    )


@transaction.atomic
def _submit(
    *, premises: Premises, data: DeclarationData, entered_by: User | None = None
) -> Declaration:
    channel = Declaration.Channel.FARM
    if entered_by is not None:
        require_region(entered_by, premises.township_id)
        require_role(entered_by, Role.TOWNSHIP_OFFICER)
        channel = Declaration.Channel.OFFICER
    # Declarations of one farm take turns, so that two of them cannot claim the same tags.
    premises = premises_lock(premises)
    now = timezone.now()
    review = declaration_review(premises=premises, data=data, now=now)
    if not review.ok:
        raise DeclarationRefused(review)
    year = timezone.localdate().year
    sequence = sequence_take(f"declaration:{premises.county_code}:{year}")
    declaration = Declaration.objects.create(
        number=f"SB{premises.county_code}{year}{sequence:06d}",
        premises=premises,
        county_code=premises.county_code,
        township_code=premises.township_id,
        species=data.species,
        quantity=data.quantity,
        purpose=data.purpose,
        destination_province=data.destination_province,
        destination_region_id=data.destination_region or None,
        destination_premises=Premises.objects.filter(code=data.destination_premises).first()
        if data.destination_premises
        else None,
        destination_address=data.destination_address.strip()[:200],
        planned_departure=data.planned_departure,
        carrier_name=data.carrier_name.strip()[:50],
        carrier_phone=data.carrier_phone.strip(),
        vehicle_plate=normalize_plate(data.vehicle_plate),
        vehicle=vehicle_by_plate(plate=normalize_plate(data.vehicle_plate)),
        dealer=dealer_by_code(code=data.dealer.strip()) if data.dealer.strip() else None,
        channel=channel,
        entered_by=entered_by,
    )
    DeclaredRange.objects.bulk_create(
        DeclaredRange(declaration=declaration, first=a, last=b) for a, b in review.numbers
    )
    tags = {t.number: t for t in Tag.objects.filter(number__in=list(review.numbers.expand()))}
    events_record(
        numbers=review.numbers,
        tags=tags,
        kind=TagEvent.Kind.DECLARED,
        actor=entered_by,
        holder=premises.name,
        document_type="declaration",
        document_id=declaration.number,
    )
    audit_record(
        actor=entered_by,
        action="declaration.submit",
        obj=declaration,
        region_code=premises.township_id,
        details={"number": declaration.number, "quantity": data.quantity, "channel": channel},
    )
    return declaration


def _locked(declaration: Declaration, *expected: str) -> Declaration:
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if locked.status not in expected:
        raise BusinessError(
            _("The declaration is %(status)s; this step is not possible now.")
            % {"status": locked.get_status_display()},
            code=DECLARATION_WRONG_STATUS,
        )
    return locked


@transaction.atomic
def declaration_decide(
    *, actor: User, declaration: Declaration, accept: bool, reason: str = ""
) -> Declaration:
    """The township station accepts a declaration, or rejects it with a reason the farm sees."""
    require_region(actor, declaration.township_code)
    require_role(actor, Role.TOWNSHIP_OFFICER)
    declaration = _locked(declaration, Declaration.Status.SUBMITTED)
    if not accept and not reason.strip():
        raise BusinessError(
            _("Give the reason for the rejection; the farm will see it."),
            code=INVALID_INPUT,
            fields={"reason": _("Give the reason for the rejection; the farm will see it.")},
        )
    declaration.status = Declaration.Status.ACCEPTED if accept else Declaration.Status.REJECTED
    declaration.reject_reason = "" if accept else reason.strip()[:200]
    declaration.decided_by = actor
    declaration.decided_at = timezone.now()
    declaration.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="declaration.accept" if accept else "declaration.reject",
        obj=declaration,
        region_code=declaration.township_code,
        details={"reason": declaration.reject_reason},
    )
    return declaration


@transaction.atomic
def declaration_inspect(
    *, actor: User, declaration: Declaration, passed: bool, notes: str = ""
) -> Declaration:
    """The official vet records the on-site (clinical) inspection."""
    require_region(actor, declaration.township_code)
    require_role(actor, Role.OFFICIAL_VET)
    declaration = _locked(declaration, Declaration.Status.ACCEPTED)
    if not passed and not notes.strip():
        raise BusinessError(
            _("Describe what was found."),
            code=INVALID_INPUT,
            fields={"notes": _("Describe what was found.")},
        )
    declaration.status = Declaration.Status.INSPECTED if passed else Declaration.Status.FAILED
    declaration.clinical_result = "pass" if passed else "fail"
    declaration.inspection_notes = notes.strip()[:500]
    declaration.inspected_by = actor
    declaration.inspected_at = timezone.now()
    declaration.save(
        update_fields=[
            "status",
            "clinical_result",
            "inspection_notes",
            "inspected_by",
            "inspected_at",
        ]
    )
    audit_record(
        actor=actor,
        action="declaration.inspect",
        obj=declaration,
        region_code=declaration.township_code,
        details={"passed": passed},
    )
    return declaration
