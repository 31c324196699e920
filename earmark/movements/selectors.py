from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from earmark.accounts.access import jurisdiction_q, user_jurisdiction
from earmark.accounts.models import User
from earmark.core.codes import jurisdiction_prefix
from earmark.farms.models import Premises
from earmark.movements.models import Alert, CheckpointCheck, Death, DestructionBatch, Receipt
from earmark.quarantine.models import Certificate, Declaration
from earmark.quarantine.selectors import CertificateFilter, certificate_list


def alert_list(*, user: User, open_only: bool = False) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(jurisdiction_q(user, "county__code")).select_related(
        "certificate", "raised_by", "acknowledged_by"
    )
    if open_only:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts.order_by("-raised_at", "-id")


def overdue_certificates(*, user: User) -> QuerySet[Certificate]:
    """Valid certificates past their validity that no destination has received."""
    return (
        Certificate.objects.filter(
            jurisdiction_q(user, "township_code"),
            status=Certificate.Status.VALID,
            valid_until__lt=timezone.localdate(),
            receipt__isnull=True,
        )
        .select_related("premises")
        .order_by("valid_until")
    )


def receipt_list(*, user: User, kind: str = "") -> QuerySet[Receipt]:
    receipts = Receipt.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "certificate", "premises"
    )
    return receipts.filter(kind=kind) if kind else receipts


def check_list(*, user: User) -> QuerySet[CheckpointCheck]:
    prefix = jurisdiction_prefix(user_jurisdiction(user))
    return CheckpointCheck.objects.filter(county_code__startswith=prefix[:6]).select_related(
        "checked_by"
    )


def death_list(*, user: User) -> QuerySet[Death]:
    return Death.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "premises", "disposal_plant"
    )


def destruction_list(*, user: User) -> QuerySet[DestructionBatch]:
    return DestructionBatch.objects.filter(jurisdiction_q(user, "county__code"))


def incoming_certificates(*, user: User, slaughter: bool) -> QuerySet[Certificate]:
    """Certificates on their way into the user's jurisdiction (待接收), soonest to expire
    first: those for slaughter (or sent to a slaughterhouse) on the slaughter side, the others
    on the arrival side."""
    incoming = certificate_list(user=user, search=CertificateFilter(state="incoming"))
    to_slaughter = Q(destination_premises__kind=Premises.Kind.SLAUGHTERHOUSE) | Q(
        destination_premises__isnull=True, purpose=Declaration.Purpose.SLAUGHTER
    )
    incoming = incoming.filter(to_slaughter) if slaughter else incoming.exclude(to_slaughter)
    return incoming.order_by("valid_until", "issued_at", "id")
