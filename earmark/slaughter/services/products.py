"""Animal-product certificates (动物检疫合格证明 产品A / 产品B): issued from a batch that passed,
never for more than it produced; split downstream (分销换证) by the county they were sent to,
never for more than is left on them. Numbered, signed and checked like the animal certificates
(quarantine's numbering, signing and validity), and told to the national platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_region, require_role, user_jurisdiction
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core import signing
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import BusinessError, PermissionDenied
from earmark.core.validators import normalize_plate
from earmark.quarantine.errors import CERTIFICATE_NOT_VALID, NOT_REPLACEABLE
from earmark.quarantine.services.numbering import certificate_number
from earmark.quarantine.services.validity import period_until
from earmark.regions.provinces import PROVINCES, leaves_province
from earmark.regions.selectors import region_names
from earmark.slaughter.errors import (
    BATCH_WRONG_STATUS,
    NOT_SPLITTABLE,
    OVER_CERTIFIED,
    PRODUCT_CERTIFICATE_REFUSED,
)
from earmark.slaughter.models import Product, ProductCertificate, SlaughterBatch
from earmark.slaughter.selectors import certified


@dataclass(frozen=True)
class Consignment:
    """What a product certificate sends where: the product and how much of it, the buyer, the
    destination and the vehicle, and the last day of validity the vet chose (if shorter)."""

    product: str
    quantity: int
    weight_kg: Decimal
    owner_name: str
    destination_province: str
    owner_phone: str = ""
    destination_region: str = ""
    destination: str = ""
    vehicle_plate: str = ""
    valid_until: date | None = None


def product_qr_url(certificate: ProductCertificate) -> str:
    """The consumer's origin check, with the signed payload that proves the code genuine."""
    path = reverse("product-public", args=[certificate.number])
    return f"{settings.EARMARK_PUBLIC_URL}{path}?p={quote(certificate.payload)}"


def _check(consignment: Consignment) -> dict[str, str]:
    problems = {}
    if consignment.product not in Product.Kind.values:
        problems["product"] = _("Carcasses, cuts or by-products.")
    if not 1 <= consignment.quantity <= 1_000_000:
        problems["quantity"] = _("Enter how many pieces (1 to 1,000,000).")
    if not Decimal("0.1") <= consignment.weight_kg <= Decimal(10_000_000):
        problems["weight_kg"] = _("Enter the weight in kg.")
    if not consignment.owner_name.strip():
        problems["owner_name"] = _("Name the buyer.")
    if consignment.destination_province not in PROVINCES:
        problems["destination_province"] = _("Choose the destination province.")
    elif not leaves_province(consignment.destination_province) and not (
        consignment.destination_region.isdigit() and len(consignment.destination_region) >= 6
    ):
        problems["destination_region"] = _("Choose the destination county or township.")
    if not (consignment.destination.strip() or consignment.destination_region):
        problems["destination"] = _("Give the destination's address.")
    return problems


def _create(
    *,
    actor: User,
    batch: SlaughterBatch,
    consignment: Consignment,
    parent: ProductCertificate | None,
    supersedes: ProductCertificate | None = None,
) -> ProductCertificate:
    problems = _check(consignment)
    if problems:
        raise BusinessError(
            _("The product certificate could not be issued."),
            code=PRODUCT_CERTIFICATE_REFUSED,
            fields=problems,
        )
    today = timezone.localdate()
    leaving = leaves_province(consignment.destination_province)
    form = "product_A" if leaving else "product_B"
    until = period_until(form, today, consignment.valid_until)
    region = consignment.destination_region if not leaving else ""
    place = "".join(region_names(codes=[region]).get(region, [])) if region else ""
    slaughterhouse = batch.slaughterhouse
    certificate = ProductCertificate(
        number=certificate_number(form, today),
        kind=ProductCertificate.Kind.A if leaving else ProductCertificate.Kind.B,
        batch=batch,
        parent=parent,
        supersedes=supersedes,
        species=batch.species,
        product=consignment.product,
        quantity=consignment.quantity,
        weight_kg=consignment.weight_kg,
        remaining_quantity=consignment.quantity,
        remaining_kg=consignment.weight_kg,
        owner_name=consignment.owner_name.strip()[:100],
        owner_phone=consignment.owner_phone.strip()[:20],
        producer=f"{slaughterhouse.name}（{slaughterhouse.code}）{slaughterhouse.address}"[:300],
        county_code=(actor.region_code or "")[:6],
        destination_province=consignment.destination_province,
        destination_region_id=region or None,
        destination=(place + consignment.destination.strip())[:300]
        or PROVINCES[consignment.destination_province],
        vehicle_plate=normalize_plate(consignment.vehicle_plate)[:20],
        valid_from=today,
        valid_until=until,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    certificate.payload = signing.sign(
        {
            "v": 1,
            "n": certificate.number,
            "k": f"P{certificate.kind}",
            "sp": certificate.species,
            "pr": certificate.product,
            "q": certificate.quantity,
            "w": str(certificate.weight_kg),
            "b": batch.number,
            "o": slaughterhouse.code,
            "d": region or certificate.destination_province,
            "i": certificate.valid_from.isoformat(),
            "u": certificate.valid_until.isoformat(),
            **({"pa": parent.number} if parent else {}),
            **({"r": supersedes.number} if supersedes else {}),
        }
    )
    certificate.save()
    outbox_emit(
        "product_certificate.issued",
        f"product:{certificate.number}",
        {
            "number": certificate.number,
            "kind": certificate.kind,
            "batch": batch.number,
            "parent": parent.number if parent else "",
            "supersedes": supersedes.number if supersedes else "",
            "species": certificate.species,
            "product": certificate.product,
            "quantity": certificate.quantity,
            "weight_kg": str(certificate.weight_kg),
            "destination_province": certificate.destination_province,
            "destination_region": region,
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        },
    )
    audit_record(
        actor=actor,
        action="product_certificate.issue",
        obj=certificate,
        region_code=certificate.county_code,
        details={"number": certificate.number, "batch": batch.number, "parent": str(parent or "")},
    )
    return certificate


def _replaceable(
    supersedes: ProductCertificate | None, batch: SlaughterBatch, product: str
) -> ProductCertificate | None:
    if supersedes is None:
        return None
    supersedes = ProductCertificate.objects.select_for_update(of=("self",)).get(pk=supersedes.pk)
    if (
        supersedes.status != ProductCertificate.Status.REVOKED
        or supersedes.batch_id != batch.pk
        or supersedes.parent_id is not None
        or supersedes.product != product
        or ProductCertificate.objects.filter(supersedes=supersedes).exists()
    ):
        raise BusinessError(
            _(
                "Only a revoked certificate of this batch and product, not replaced yet, can be "
                "replaced."
            ),
            code=NOT_REPLACEABLE,
        )
    return supersedes


@transaction.atomic
def product_certificate_issue(
    *,
    actor: User,
    batch: SlaughterBatch,
    consignment: Consignment,
    supersedes: ProductCertificate | None = None,
) -> ProductCertificate:
    """产品A (leaving the province, valid 7 days at most) or 产品B (within it, valid the day of
    issue) for part of a passed batch's products; together never more than it produced. A
    replacement names the revoked certificate it replaces (what that one certified is free)."""
    require_region(actor, batch.township_code)
    require_role(actor, Role.OFFICIAL_VET)
    supersedes = _replaceable(supersedes, batch, consignment.product)
    batch = (
        SlaughterBatch.objects.select_for_update(of=("self",))
        .select_related("slaughterhouse")
        .get(pk=batch.pk)
    )
    if batch.status != SlaughterBatch.Status.PASSED:
        raise BusinessError(
            _("Batch %(number)s has not passed its inspection: nothing of it is certified.")
            % {"number": batch.number},
            code=BATCH_WRONG_STATUS,
        )
    made = {p.kind: p for p in batch.products.all()}
    product = made.get(consignment.product)
    quantity, weight = certified(batch).get(consignment.product, (0, Decimal(0)))
    if product is None or (
        quantity + consignment.quantity > product.quantity
        or weight + consignment.weight_kg > product.weight_kg
    ):
        left = (product.quantity - quantity, product.weight_kg - weight) if product else (0, 0)
        raise BusinessError(
            _(
                "Batch %(number)s has %(quantity)d pieces, %(weight)s kg of this product left "
                "to certify."
            )
            % {"number": batch.number, "quantity": left[0], "weight": left[1]},
            code=OVER_CERTIFIED,
            fields={"quantity": _("At most %(n)d.") % {"n": left[0]}},
        )
    return _create(
        actor=actor, batch=batch, consignment=consignment, parent=None, supersedes=supersedes
    )


@transaction.atomic
def product_certificate_split(
    *, actor: User, parent: ProductCertificate, consignment: Consignment
) -> ProductCertificate:
    """A wholesaler passes part of a lot on (分销换证): the county the lot was sent to issues
    the new certificate and records what remains on the first."""
    require_role(actor, Role.OFFICIAL_VET, Role.COUNTY_OFFICER)
    parent = (
        ProductCertificate.objects.select_for_update(of=("self",))
        .select_related("batch__slaughterhouse", "destination_region")
        .get(pk=parent.pk)
    )
    prefix = jurisdiction_prefix(user_jurisdiction(actor))
    if not (parent.destination_region_id or "").startswith(prefix[:6]) or len(prefix) < 6:
        raise PermissionDenied(NOT_SPLITTABLE.message)
    if parent.status != ProductCertificate.Status.VALID:
        raise BusinessError(
            _("Only a valid product certificate sent to your county can be split."),
            code=NOT_SPLITTABLE,
        )
    if consignment.product != parent.product:
        consignment = Consignment(**{**consignment.__dict__, "product": parent.product})
    if (
        consignment.quantity > parent.remaining_quantity
        or consignment.weight_kg > parent.remaining_kg
    ):
        raise BusinessError(
            _("%(number)s has %(quantity)d pieces, %(weight)s kg left to pass on.")
            % {
                "number": parent.number,
                "quantity": parent.remaining_quantity,
                "weight": parent.remaining_kg,
            },
            code=OVER_CERTIFIED,
            fields={"quantity": _("At most %(n)d.") % {"n": parent.remaining_quantity}},
        )
    parent.remaining_quantity -= consignment.quantity
    parent.remaining_kg -= consignment.weight_kg
    parent.save(update_fields=["remaining_quantity", "remaining_kg"])
    return _create(actor=actor, batch=parent.batch, consignment=consignment, parent=parent)


@transaction.atomic
def product_certificate_revoke(
    *, actor: User, certificate: ProductCertificate, reason: str
) -> ProductCertificate:
    """By its issuing county, before any of it was passed on; its quantity is free again."""
    require_role(actor, Role.OFFICIAL_VET)
    certificate = (
        ProductCertificate.objects.select_for_update(of=("self",))
        .select_related("batch")
        .get(pk=certificate.pk)
    )
    # Where it was issued: at the batch's slaughterhouse, or (a split) in the county it reached.
    require_region(
        actor,
        certificate.county_code if certificate.parent_id else certificate.batch.township_code,
    )
    if certificate.status != ProductCertificate.Status.VALID or certificate.splits.exists():
        raise BusinessError(
            _("Only a valid product certificate none of which was passed on can be revoked."),
            code=CERTIFICATE_NOT_VALID,
        )
    if not reason.strip():
        raise BusinessError(
            _("Give the reason."),
            code=PRODUCT_CERTIFICATE_REFUSED,
            fields={"reason": _("Give the reason.")},
        )
    certificate.status = ProductCertificate.Status.REVOKED
    certificate.revoked_reason = reason.strip()[:200]
    certificate.save(update_fields=["status", "revoked_reason"])
    if certificate.parent_id:
        ProductCertificate.objects.filter(pk=certificate.parent_id).update(
            remaining_quantity=F("remaining_quantity") + certificate.quantity,
            remaining_kg=F("remaining_kg") + certificate.weight_kg,
        )
    outbox_emit(
        "product_certificate.revoked",
        f"product:{certificate.number}",
        {"number": certificate.number, "reason": certificate.revoked_reason},
    )
    audit_record(
        actor=actor,
        action="product_certificate.revoke",
        obj=certificate,
        region_code=certificate.county_code,
        details={"reason": certificate.revoked_reason},
    )
    return certificate
