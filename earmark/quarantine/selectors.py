from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import (
    can_read_region,
    jurisdiction_q,
    require_region,
    user_jurisdiction,
)
from earmark.accounts.models import User
from earmark.core import signing
from earmark.core.codes import county_of, is_region_code, jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.farms.models import Premises, Restriction
from earmark.farms.selectors import restriction_covering, restrictions_standing
from earmark.quarantine.models import (
    Certificate,
    CertificateRange,
    Declaration,
    Redirect,
)


def declaration_list(*, user: User, status: str = "", premises: str = "") -> QuerySet[Declaration]:
    declarations = (
        Declaration.objects.filter(jurisdiction_q(user, "township_code"))
        .select_related("premises", "destination_region", "destination_premises", "dealer")
        .prefetch_related("ranges")
    )
    if status:
        declarations = declarations.filter(status__in=status.split(","))
    if premises:
        declarations = declarations.filter(premises__code=premises)
    return declarations.order_by("-created_at", "-id")


def declaration_get(*, user: User, number: str) -> Declaration:
    declaration = (
        Declaration.objects.select_related(
            "premises__township", "destination_region", "destination_premises", "dealer"
        )
        .filter(number=number)
        .first()
    )
    if declaration is None:
        raise NotFound(_("Declaration %(number)s does not exist.") % {"number": number})
    require_region(user, declaration.township_code)
    return declaration


def _destination_q(code: str) -> Q:
    """Certificates whose animals go to region ``code`` (or below it): to a premises there, or,
    when only an address was declared, to that region — or to its county, for a township."""
    prefix = jurisdiction_prefix(code)
    address_only = Q(
        destination_premises__isnull=True,
        destination_province=settings.EARMARK_PROVINCE_CODE,
    )
    regions = Q(destination_region__code__startswith=prefix)
    county = county_of(code)
    if county and county != code:
        regions |= Q(destination_region_id=county)
    return Q(destination_premises__township__code__startswith=prefix) | (address_only & regions)


def certificate_visible_q(user: User) -> Q:
    """Certificates a user may read: those leaving its jurisdiction, those sent into it, and
    those that were sent into it before a change of destination."""
    code = user_jurisdiction(user)
    prefix = jurisdiction_prefix(code)
    earlier = Redirect.objects.filter(certificate=OuterRef("pk")).filter(
        Q(from_premises__township__code__startswith=prefix)
        | Q(from_region__code__startswith=prefix)
    )
    return Q(township_code__startswith=prefix) | _destination_q(code) | Q(Exists(earlier))


def certificate_visible(user: User, certificate: Certificate) -> bool:
    if not user.is_authenticated or user.region_code is None:
        return False
    return Certificate.objects.filter(certificate_visible_q(user), pk=certificate.pk).exists()


@dataclass(frozen=True)
class CertificateFilter:
    """What a certificate list is searched by; every field may stay empty."""

    number: str = ""
    premises: str = ""
    tag: int | None = None
    since: date | None = None
    until: date | None = None
    destination: str = ""
    state: str = ""


CERTIFICATE_STATES = ("incoming", "valid", "expired", "revoked", "used")


def certificate_list(
    *, user: User, status: str = "", search: CertificateFilter | None = None
) -> QuerySet[Certificate]:
    """Certificates the user may read, newest first, searched by number, origin premises, tag,
    issue date, destination and state. ``state=incoming`` keeps the certificates still to be
    received (待接收): valid, within their validity, with no receipt."""
    search = search or CertificateFilter()
    certificates = Certificate.objects.filter(certificate_visible_q(user)).select_related(
        "premises", "issued_by", "destination_premises", "destination_region"
    )
    if status:
        certificates = certificates.filter(status=status)
    if search.number:
        certificates = certificates.filter(number__startswith=search.number)
    if search.premises:
        certificates = certificates.filter(premises__code=search.premises)
    if search.tag is not None:
        certificates = certificates.filter(
            Exists(
                CertificateRange.objects.filter(
                    certificate=OuterRef("pk"), first__lte=search.tag, last__gte=search.tag
                )
            )
        )
    if search.since:
        certificates = certificates.filter(valid_from__gte=search.since)
    if search.until:
        certificates = certificates.filter(valid_from__lte=search.until)
    if search.destination:
        certificates = certificates.filter(_destination_filter(user, search.destination))
    today = timezone.localdate()
    if search.state in ("incoming", "valid"):
        certificates = certificates.filter(status=Certificate.Status.VALID, valid_until__gte=today)
    elif search.state == "expired":
        certificates = certificates.filter(status=Certificate.Status.VALID, valid_until__lt=today)
    elif search.state in ("revoked", "used"):
        certificates = certificates.filter(status=search.state)
    if search.state == "incoming":
        if not search.destination:
            certificates = certificates.filter(_destination_q(user_jurisdiction(user)))
        certificates = certificates.filter(receipt__isnull=True)
    return certificates.order_by("-issued_at", "-id")


def _destination_filter(user: User, destination: str) -> Q:
    """``destination`` is a premises code or a region code of the user's jurisdiction."""
    if is_region_code(destination):
        require_region(user, destination)
        return _destination_q(destination)
    premises = Premises.objects.filter(code=destination).first()
    if premises is None:
        raise NotFound(_("No premises %(code)s.") % {"code": destination})
    require_region(user, premises.township_id)
    address_only = Q(
        destination_premises__isnull=True,
        destination_province=settings.EARMARK_PROVINCE_CODE,
        destination_region_id__in=[premises.county_code, premises.township_id],
    )
    return Q(destination_premises=premises) | address_only


def incoming_count(*, user: User) -> int:
    """How many certificates are on their way into the user's jurisdiction (待接收)."""
    return certificate_list(user=user, search=CertificateFilter(state="incoming")).count()


def certificate_find(number: str) -> Certificate:
    certificate = (
        Certificate.objects.select_related(
            "premises", "issued_by", "destination_region", "declaration"
        )
        .filter(number=number)
        .first()
    )
    if certificate is None:
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": number})
    return certificate


@dataclass
class PublicCheck:
    """What the public verification page says of a number and the QR payload scanned with it."""

    certificate: Certificate | None
    checked: bool  # a payload came with the number
    genuine: bool  # signed by the province, for this number, and the certificate's own


def certificate_public_check(*, number: str, payload: str) -> PublicCheck:
    certificate = (
        Certificate.objects.select_related("destination_region").filter(number=number).first()
    )
    check = signing.verify_own(payload) if payload else None
    genuine = bool(
        check
        and check.ok
        and check.fields.get("n") == number
        and certificate
        and certificate.payload == payload
    )
    return PublicCheck(certificate=certificate, checked=check is not None, genuine=genuine)


def certificate_get(*, user: User, number: str) -> Certificate:
    """A certificate the user may read (see ``certificate_visible_q``), or not found."""
    certificate = (
        Certificate.objects.filter(certificate_visible_q(user), number=number)
        .select_related(
            "premises",
            "issued_by",
            "destination_region",
            "destination_premises",
            "declaration",
            "supersedes",
        )
        .first()
    )
    if certificate is None:
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": number})
    return certificate


def certificate_is_origin(*, user: User, certificate: Certificate) -> bool:
    """Whether the certificate leaves the user's jurisdiction (the issuing side)."""
    return can_read_region(user, certificate.township_code)


def farm_declaration_list(*, premises: Premises) -> QuerySet[Declaration]:
    """A farm's own declarations, newest first (its QR page, its API token)."""
    return (
        Declaration.objects.filter(premises=premises)
        .select_related("premises", "destination_premises")
        .prefetch_related("certificates", "ranges")
        .order_by("-created_at", "-id")
    )


def declarations_of_farm(*, premises: Premises, limit: int = 20) -> list[Declaration]:
    """What a farm sees of its own declarations on its QR page, newest first."""
    return list(farm_declaration_list(premises=premises)[:limit])


def farm_declaration_get(*, premises: Premises, number: str) -> Declaration:
    declaration = farm_declaration_list(premises=premises).filter(number=number).first()
    if declaration is None:
        raise NotFound(_("Declaration %(number)s does not exist.") % {"number": number})
    return declaration


def farm_certificate_get(*, premises: Premises, number: str) -> Certificate:
    """One of the farm's own certificates (a certificate of another farm is not found)."""
    certificate = certificate_find(number)
    if certificate.premises_id != premises.pk:
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": number})
    return certificate


def certificate_redirects(*, certificate: Certificate) -> list[Redirect]:
    """The changes of destination of a certificate the caller may read, oldest first."""
    return list(
        Redirect.objects.filter(certificate=certificate).select_related(
            "to_premises", "from_premises", "recorded_by"
        )
    )


def origin_restriction(certificate: Certificate | None) -> Restriction | None:
    """The movement restriction standing now over a certificate's origin premises: it holds
    the certificate at checkpoints (限制中) and its receipt until the destination overrides."""
    if certificate is None:
        return None
    standing = restrictions_standing(at=timezone.now())
    return restriction_covering(standing, premises=certificate.premises) if standing else None


def certificate_state(certificate: Certificate, today: date | None = None) -> str:
    """valid, expired, revoked or used, as a checkpoint reads it."""
    today = today or timezone.localdate()
    if certificate.status != Certificate.Status.VALID:
        return certificate.status
    if today > certificate.valid_until:
        return "expired"
    return "valid"


@dataclass(frozen=True)
class CertificatePlaces:
    """Where a certificate sends its animals from and to: the origin premises, and the
    destination premises or, for an address, the region (county, else province) it lies in."""

    origin: str
    destination_premises: str | None
    destination_region: str


def certificate_places(*, numbers: set[str]) -> dict[str, CertificatePlaces]:
    """Certificate number → its places, in one query."""
    rows = Certificate.objects.filter(number__in=numbers).values_list(
        "number",
        "premises__code",
        "destination_premises__code",
        "destination_region_id",
        "destination_province",
    )
    return {
        number: CertificatePlaces(origin, target, region or province)
        for number, origin, target, region, province in rows
    }
