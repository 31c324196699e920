from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from earmark.accounts.access import jurisdiction_q, require_region
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.farms.models import Premises
from earmark.quarantine.models import Certificate, Declaration


def declaration_list(*, user: User, status: str = "", premises: str = "") -> QuerySet[Declaration]:
    declarations = Declaration.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "premises", "destination_region"
    )
    if status:
        declarations = declarations.filter(status__in=status.split(","))
    if premises:
        declarations = declarations.filter(premises__code=premises)
    return declarations.order_by("-created_at", "-id")


def declaration_get(*, user: User, number: str) -> Declaration:
    declaration = (
        Declaration.objects.select_related(
            "premises__township", "destination_region", "destination_premises"
        )
        .filter(number=number)
        .first()
    )
    if declaration is None:
        raise NotFound(_("Declaration %(number)s does not exist.") % {"number": number})
    require_region(user, declaration.township_code)
    return declaration


def certificate_list(*, user: User, status: str = "") -> QuerySet[Certificate]:
    certificates = Certificate.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "premises", "issued_by"
    )
    if status:
        certificates = certificates.filter(status=status)
    return certificates.order_by("-issued_at", "-id")


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


def certificate_get(*, user: User, number: str) -> Certificate:
    certificate = certificate_find(number)
    require_region(user, certificate.township_code)
    return certificate


def declarations_of_farm(*, premises: Premises, limit: int = 20) -> list[Declaration]:
    """What a farm sees of its own declarations on its QR page, newest first."""
    return list(
        Declaration.objects.filter(premises=premises)
        .prefetch_related("certificates")
        .order_by("-created_at", "-id")[:limit]
    )
