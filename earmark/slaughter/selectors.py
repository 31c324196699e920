"""Reading slaughter batches and product certificates: for officials by jurisdiction, for
the public by a certificate's number (what a consumer may know, nothing more)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q, user_jurisdiction
from earmark.accounts.models import User
from earmark.core import signing
from earmark.core.codes import jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises
from earmark.immunization.selectors.records import immunization_summary
from earmark.movements.models import ForeignReceipt, Receipt
from earmark.quarantine.models import Certificate, CertificateRange, ForeignCertificate
from earmark.regions.selectors import region_names
from earmark.slaughter.models import Product, ProductCertificate, SlaughterBatch


def batch_tags_received(*, slaughterhouse: Premises, numbers: list[str]) -> RangeSet:
    """The tags recovered at ``slaughterhouse`` on the certificates ``numbers``."""
    ranges: list[tuple[int, int]] = []
    for received in Receipt.objects.filter(
        premises=slaughterhouse, certificate__number__in=numbers
    ).values_list("received", flat=True):
        ranges += [(a, b) for a, b in received]
    for received in ForeignReceipt.objects.filter(
        premises=slaughterhouse, certificate__number__in=numbers
    ).values_list("received", flat=True):
        ranges += [(a, b) for a, b in received]
    return RangeSet.of(ranges)


def tags_in_other_batches(*, slaughterhouse: Premises) -> RangeSet:
    """The tags already in a batch of this slaughterhouse (kept short: a batch holds a day's
    animals at most, read back with the premises locked by the caller)."""
    ranges: list[tuple[int, int]] = []
    for tags in SlaughterBatch.objects.filter(slaughterhouse=slaughterhouse).values_list(
        "tags", flat=True
    ):
        ranges += [(a, b) for a, b in tags]
    return RangeSet.of(ranges)


def batch_list(*, user: User) -> QuerySet[SlaughterBatch]:
    return (
        SlaughterBatch.objects.filter(jurisdiction_q(user, "township_code"))
        .select_related("slaughterhouse")
        .prefetch_related("products")
    )


def batch_get(*, user: User, number: str) -> SlaughterBatch:
    found = batch_list(user=user).filter(number=number).select_related("disposal_plant").first()
    if found is None:
        raise NotFound()
    return found


def certified(batch: SlaughterBatch) -> dict[str, tuple[int, Decimal]]:
    """What the batch's own product certificates (not their splits) certify, by kind."""
    rows = (
        ProductCertificate.objects.filter(batch=batch, parent=None)
        .exclude(status=ProductCertificate.Status.REVOKED)
        .values("product")
        .annotate(quantity=Sum("quantity"), weight=Sum("weight_kg"))
    )
    return {r["product"]: (r["quantity"] or 0, r["weight"] or Decimal(0)) for r in rows}


def _visible_q(user: User) -> Q:
    """Issued in the jurisdiction, or sent into it."""
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    return (
        Q(county_code__startswith=prefix)
        | Q(batch__township_code__startswith=prefix)
        | Q(destination_region__code__startswith=prefix)
        | Q(destination_province__startswith=prefix[:2], destination_region=None)
    )


def product_certificate_list(*, user: User) -> QuerySet[ProductCertificate]:
    return ProductCertificate.objects.filter(_visible_q(user)).select_related(
        "batch", "parent", "destination_region"
    )


def product_certificate_get(*, user: User, number: str) -> ProductCertificate:
    found = (
        product_certificate_list(user=user)
        .filter(number=number)
        .select_related("batch__slaughterhouse", "issued_by")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class Origin:
    """Where animals of a batch came from, as the public may learn it."""

    county: str
    township: str
    farm: str  # empty unless the province shows farm names (EARMARK_PUBLIC_FARM_NAMES)
    animals: int


@dataclass
class Chain:
    """A product certificate back to its batch and the batch's animals, forward to every other
    product certificate of the batch."""

    batch: SlaughterBatch
    certificates: list[Certificate] = field(default_factory=list)
    foreign: list[ForeignCertificate] = field(default_factory=list)
    products: list[ProductCertificate] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    immunizations: list[tuple[str, date]] = field(default_factory=list)


def batch_numbers(batch: SlaughterBatch, certificates: list[Certificate]) -> RangeSet:
    """The batch's tags as read, else every tag of its certificates."""
    if batch.tags:
        return RangeSet.of(batch.tags)
    return RangeSet.of(
        CertificateRange.objects.filter(certificate__in=certificates).values_list("first", "last")
    )


def batch_chain(batch: SlaughterBatch) -> Chain:
    """The batch's certificates, their farms (by township), the immunizations of its animals
    against the compulsory diseases, and every product certificate issued from it."""
    numbers = [source["certificate"] for source in batch.sources]
    counts = {source["certificate"]: source["count"] for source in batch.sources}
    chain = Chain(batch=batch)
    chain.certificates = list(
        Certificate.objects.filter(number__in=numbers).select_related("premises")
    )
    chain.foreign = list(ForeignCertificate.objects.filter(number__in=numbers))
    chain.products = list(
        ProductCertificate.objects.filter(batch=batch).select_related("parent").order_by("id")
    )
    names = region_names(codes=[c.township_code for c in chain.certificates])
    show_farms = settings.EARMARK_PUBLIC_FARM_NAMES
    for certificate in chain.certificates:
        township = names.get(certificate.township_code, [])
        chain.origins.append(
            Origin(
                county="".join(township[:3]),
                township=township[-1] if township else "",
                farm=certificate.premises.name if show_farms else "",
                animals=counts.get(certificate.number, 0),
            )
        )
    for foreign in chain.foreign:
        chain.origins.append(Origin(foreign.origin, "", "", counts.get(foreign.number, 0)))
    if chain.certificates:
        lines = immunization_summary(
            numbers=batch_numbers(batch, chain.certificates),
            species=batch.species,
            county_code=chain.certificates[0].county_code,
            on=batch.opened_at.date(),
        )
        chain.immunizations = [(line.disease, line.last) for line in lines if line.last]
    return chain


@dataclass(frozen=True)
class PublicProduct:
    certificate: ProductCertificate | None
    checked: bool
    genuine: bool
    state: str  # valid, expired, revoked, unknown


def product_public_check(*, number: str, payload: str, today: date) -> PublicProduct:
    """A product certificate as the public reads it, and whether its QR code is genuine."""
    certificate = (
        ProductCertificate.objects.filter(number=number)
        .select_related("batch__slaughterhouse__township", "issued_by__agency")
        .first()
    )
    check = signing.verify_own(payload) if payload else None
    genuine = bool(
        check and check.ok and certificate is not None and certificate.payload == payload
    )
    if certificate is None:
        state = "unknown"
    elif certificate.status == ProductCertificate.Status.REVOKED:
        state = "revoked"
    elif certificate.valid_until < today:
        state = "expired"
    else:
        state = "valid"
    return PublicProduct(certificate, check is not None, genuine, state)


def produced(batch: SlaughterBatch) -> list[Product]:
    return list(batch.products.order_by("kind"))


def public_chain(certificate: ProductCertificate) -> dict[str, object]:
    """What a member of the public may know of the meat's origin: the slaughterhouse and day,
    the inspection's result, the counties and townships (farms only where the province allows)
    and the immunizations against the compulsory diseases by disease and date. No tag numbers,
    no people, no stock. Kept five minutes (a batch's origin does not change)."""
    batch = certificate.batch
    # The batch's number and moment too: a key no other batch (of another database) shares.
    key = (
        f"public-chain:{batch.pk}:{batch.number}:{batch.opened_at.timestamp()}:"
        f"{int(settings.EARMARK_PUBLIC_FARM_NAMES)}"
    )
    found = cache.get(key)
    if found is not None:
        return dict(found)
    chain = batch_chain(batch)
    facts: dict[str, object] = {
        "slaughterhouse": batch.slaughterhouse.name,
        "slaughtered_on": batch.opened_at.date(),
        "result": batch.status,
        "origins": [(o.county, o.township, o.farm) for o in chain.origins],
        "immunizations": chain.immunizations,
    }
    cache.set(key, facts, 300)
    return facts


def after_slaughter(*, certificates: list[str], numbers: list[int]) -> list[tuple[Any, ...]]:
    """What followed the slaughter inspection of an animal that came in on ``certificates``
    carrying ``numbers``: its batch (where the batch's tags were read, only the batch that
    holds it) and the product certificates of that batch, as (moment, kind, title, place,
    document, details)."""
    found = SlaughterBatch.objects.filter(source_rows__certificate__in=certificates).distinct()
    rows: list[tuple[Any, ...]] = []
    for batch in found.select_related("slaughterhouse").prefetch_related("certificates"):
        tags = RangeSet.of(batch.tags)
        if tags and not any(n in tags for n in numbers):
            continue
        condemned = any(n in RangeSet.of(batch.condemned_tags) for n in numbers)
        rows.append(
            (
                batch.closed_at or batch.opened_at,
                "slaughter_batch",
                _("Slaughter batch %(number)s: %(status)s")
                % {"number": batch.number, "status": batch.get_status_display()},
                batch.slaughterhouse.name,
                batch.number,
                {"result": batch.status, "condemned": condemned},
            )
        )
        rows += [
            (
                product.issued_at,
                "product_certificate",
                _("Product certificate %(number)s: %(product)s to %(destination)s")
                % {
                    "number": product.number,
                    "product": product.get_product_display(),
                    "destination": product.destination,
                },
                batch.slaughterhouse.name,
                product.number,
                {"kind": product.kind, "parent": product.parent_id or ""},
            )
            for product in batch.certificates.all()
        ]
    return rows
