from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from earmark.accounts.access import (
    jurisdiction_q,
    require_region,
    require_role,
    user_jurisdiction,
)
from earmark.accounts.models import Role, User
from earmark.core import signing
from earmark.core.codes import county_of, jurisdiction_prefix
from earmark.core.errors import NotFound
from earmark.core.species import species_label
from earmark.eartags.models import Holding, Tag
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Premises, Restriction, StockChange
from earmark.farms.selectors import restriction_covering, restrictions_standing
from earmark.movements.models import (
    Alert,
    CheckpointCheck,
    Death,
    DestructionBatch,
    ForeignReceipt,
    Receipt,
    RestrictionOverride,
)
from earmark.quarantine.models import Certificate, Declaration, ForeignCertificate
from earmark.quarantine.registry import foreign_certificate_get, own_keys, trusted_keys
from earmark.quarantine.selectors import (
    CertificateFilter,
    certificate_list,
)


@dataclass(frozen=True)
class Waiting:
    """Animals a certificate brought into a slaughterhouse that are not slaughtered yet."""

    premises_code: str
    premises_name: str
    certificate: str
    species: str
    received: int
    slaughtered: int

    @property
    def waiting(self) -> int:
        return self.received - self.slaughtered

    @property
    def species_name(self) -> str:
        return species_label(self.species)


def waiting_at(slaughterhouses: QuerySet[Premises]) -> list[Waiting]:
    """Per slaughterhouse and certificate, what came in and what was slaughtered: read from
    the ledger rows the slaughter inspections and slaughter records wrote (one query)."""
    rows = (
        StockChange.objects.filter(
            premises__in=slaughterhouses,
            document_type="certificate",
            reason__in=[StockChange.Reason.ARRIVAL_IN, StockChange.Reason.SLAUGHTER],
        )
        .values("premises__code", "premises__name", "document_id", "species", "reason")
        .annotate(total=Sum("delta"))
        .order_by("premises__code", "document_id", "species")
    )
    found: dict[tuple[str, str, str, str], list[int]] = {}
    for row in rows:
        key = (row["premises__code"], row["premises__name"], row["document_id"], row["species"])
        counts = found.setdefault(key, [0, 0])
        if row["reason"] == StockChange.Reason.ARRIVAL_IN:
            counts[0] += row["total"]
        else:
            counts[1] -= row["total"]
    return [Waiting(*key, *counts) for key, counts in found.items()]


def slaughter_waiting(*, user: User) -> list[Waiting]:
    """What waits for slaughter at the slaughterhouses of the user's jurisdiction."""
    return waiting_at(
        Premises.objects.filter(
            jurisdiction_q(user, "township__code"), kind=Premises.Kind.SLAUGHTERHOUSE
        )
    )


def alert_list(
    *, user: User, open_only: bool = False, overdue_only: bool = False
) -> QuerySet[Alert]:
    """Alerts to the user's jurisdiction; ``overdue_only``: unanswered past their deadline."""
    alerts = Alert.objects.filter(jurisdiction_q(user, "county__code")).select_related(
        "certificate", "raised_by", "acknowledged_by"
    )
    if open_only or overdue_only:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    if overdue_only:
        alerts = alerts.filter(respond_by__lt=timezone.now())
    return alerts.order_by("-raised_at", "-id")


def alert_get(*, user: User, alert_id: int) -> Alert:
    """An alert to the user's jurisdiction, or not found."""
    alert = alert_list(user=user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    return alert


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


@dataclass(frozen=True)
class CheckShown:
    check: CheckpointCheck
    certificate: Certificate | None
    # A movement restriction standing over where the animals come from or go to.
    restriction: Restriction | None = None
    # Another province's certificate, as the platform handed it over.
    foreign: ForeignCertificate | None = None


def check_outcome(*, user: User, check_id: int) -> CheckShown | None:
    """A check the user made, to show its verdict again (after the form's redirect)."""
    check = (
        CheckpointCheck.objects.select_related("certificate__premises")
        .filter(pk=check_id, checked_by=user)
        .first()
    )
    if check is None:
        return None
    foreign = (
        foreign_certificate_get(number=check.number)
        if check.certificate is None and check.issuing_province
        else None
    )
    return CheckShown(check, check.certificate, certificate_restriction(check.certificate), foreign)


def certificate_restriction(certificate: Certificate | None) -> Restriction | None:
    """The movement restriction standing now over the certificate's origin or destination,
    for the checkpoint to see."""
    if certificate is None:
        return None
    standing = restrictions_standing(at=timezone.now())
    if not standing:
        return None
    region = certificate.destination_region_id or ""
    return restriction_covering(standing, premises=certificate.premises) or restriction_covering(
        standing,
        premises=certificate.destination_premises,
        township=region if len(region) == 9 else "",
    )


def restriction_override_of(certificate: Certificate) -> RestrictionOverride | None:
    return (
        RestrictionOverride.objects.filter(certificate=certificate)
        .select_related("recorded_by")
        .first()
    )


def death_list(*, user: User) -> QuerySet[Death]:
    return Death.objects.filter(jurisdiction_q(user, "township_code")).select_related(
        "premises", "disposal_plant"
    )


def destruction_list(*, user: User) -> QuerySet[DestructionBatch]:
    return DestructionBatch.objects.filter(jurisdiction_q(user, "county__code"))


def destruction_get(*, user: User, number: str) -> DestructionBatch:
    found = destruction_list(user=user).filter(number=number).select_related("county").first()
    if found is None:
        raise NotFound()
    return found


def incoming_foreign(*, user: User, slaughter: bool | None = None) -> QuerySet[ForeignCertificate]:
    """Other provinces' type A certificates on their way into the user's jurisdiction, told
    before the truck arrives (#30): not received, not revoked, still valid; soonest to expire
    first, those for slaughter on the slaughter side (``slaughter``), the others elsewhere."""
    found = ForeignCertificate.objects.filter(
        jurisdiction_q(user, "destination_region"),
        receipt__isnull=True,
        revoked_at__isnull=True,
        valid_until__gte=timezone.localdate(),
    )
    if slaughter is not None:
        to_slaughter = Q(purpose=Declaration.Purpose.SLAUGHTER)
        found = found.filter(to_slaughter) if slaughter else found.exclude(to_slaughter)
    return found.order_by("valid_until", "number")


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


@dataclass(frozen=True)
class Pending:
    """What the user's county holds to destroy: recovered tags and voided unused ones."""

    recovered: RangeSet
    voided: list[Holding]

    @property
    def voided_count(self) -> int:
        return sum(h.count for h in self.voided)


def recovered_in_county(county_code: str) -> RangeSet:
    """Tags recovered at this county's slaughterhouses and not yet destroyed, whichever
    province certified the animals."""
    ours = Receipt.objects.filter(county_code=county_code, kind=Receipt.Kind.SLAUGHTER)
    theirs = ForeignReceipt.objects.filter(
        premises__county_code=county_code, kind=ForeignReceipt.Kind.SLAUGHTER
    )
    received = RangeSet.of(
        (a, b)
        for receipts in (ours, theirs)
        for rows in receipts.values_list("received", flat=True)
        for a, b in rows
    )
    still = Tag.objects.filter(number__in=list(received.expand()), state=Tag.State.RECOVERED)
    return RangeSet.from_numbers(still.values_list("number", flat=True))


def destruction_pending(*, user: User) -> Pending:
    """What the user's county holds to destroy. The county destroys them: a township station
    learns nothing of the county's other townships' slaughtered or voided tags (#34)."""
    jurisdiction = user_jurisdiction(user)
    county = county_of(jurisdiction) or ""
    if not county or len(jurisdiction) > len(county):
        return Pending(RangeSet(), [])
    voided = Holding.objects.filter(county_code=county, state=Holding.State.VOIDED)
    return Pending(recovered_in_county(county), list(voided))


def death_for_disposal(*, user: User, death_id: int) -> Death:
    """A death whose carcasses went to a disposal plant of the user's jurisdiction."""
    death = Death.objects.select_related("disposal_plant", "premises").filter(pk=death_id).first()
    if death is None or death.disposal_plant is None:
        raise NotFound()
    require_region(user, death.disposal_plant.township_id)
    return death


def certificate_destinations(*, numbers: set[str]) -> dict[str, str]:
    """Certificate number → the code of the premises that received it."""
    rows = Receipt.objects.filter(certificate__number__in=numbers).values_list(
        "certificate__number", "premises__code"
    )
    return dict(rows)


@dataclass(frozen=True)
class CheckpointSnapshot:
    """What a checkpoint's phone keeps to check certificates with no connection: the keys it
    believes (this province's in use and those it replaced, other provinces' trusted keys, each
    with the day after which it signs nothing more), and the certificates revoked or already
    used while they could still be shown on the road (this province's and other provinces')."""

    as_of: datetime
    key_id: str
    public_key: str
    revoked: list[str]
    # Other provinces' trusted keys and this province's replaced ones.
    keys: list[dict[str, str | None]]
    # Numbers of certificates already used, as ranges [first, last] (consecutive numbers
    # are common: a station issues in sequence).
    used: list[list[str]]
    # Valid certificates whose origin is under a movement restriction now, with its reason.
    restricted: list[dict[str, str]]


def checkpoint_snapshot(*, user: User) -> CheckpointSnapshot:
    require_role(user, Role.CHECKPOINT_OFFICER)
    now = timezone.now()
    since = timezone.localdate() - timedelta(days=1)
    revoked = [
        *Certificate.objects.filter(
            status=Certificate.Status.REVOKED, valid_until__gte=since
        ).values_list("number", flat=True),
        # Other provinces' revocations, as their issuers signed them.
        *ForeignCertificate.objects.filter(
            revoked_at__isnull=False, valid_until__gte=since
        ).values_list("number", flat=True),
    ]
    used = [
        *Certificate.objects.filter(
            status=Certificate.Status.USED, valid_until__gte=since
        ).values_list("number", flat=True),
        *ForeignCertificate.objects.filter(
            receipt__isnull=False, valid_until__gte=since
        ).values_list("number", flat=True),
    ]
    current = signing.key_id()
    return CheckpointSnapshot(
        as_of=now,
        key_id=current,
        public_key=signing.public_raw(),
        revoked=sorted(revoked),
        keys=[
            *(
                {"province": k.province, "kid": k.kid, "public_key": k.public_key, "until": None}
                for k in own_keys()
                if k.kid != current
            ),
            *(
                {
                    "province": k.province,
                    "kid": k.kid,
                    "public_key": k.public_key,
                    "until": timezone.localdate(k.retired_at).isoformat() if k.retired_at else None,
                }
                for k in trusted_keys()
            ),
        ],
        used=number_ranges(used),
        restricted=restricted_on_road(since),
    )


def restricted_on_road(since: date) -> list[dict[str, str]]:
    """The valid certificates that may still be on the road and whose origin premises a
    standing restriction covers: none to read when no restriction stands (one query)."""
    standing = restrictions_standing(at=timezone.now())
    if not standing:
        return []
    rows = []
    for certificate in (
        Certificate.objects.filter(status=Certificate.Status.VALID, valid_until__gte=since)
        .select_related("premises")
        .order_by("number")
    ):
        restriction = restriction_covering(standing, premises=certificate.premises)
        if restriction is not None:
            rows.append(
                {
                    "number": certificate.number,
                    "reason": restriction.reason,
                    "since": timezone.localtime(restriction.starts_at).strftime("%Y-%m-%d"),
                }
            )
    return rows


def number_ranges(numbers: list[str]) -> list[list[str]]:
    """Document numbers as ranges of consecutive numbers of the same length, in order."""
    by_width: dict[int, list[int]] = {}
    for number in numbers:
        if number.isascii() and number.isdigit():
            by_width.setdefault(len(number), []).append(int(number))
    return [
        [f"{a:0{width}d}", f"{b:0{width}d}"]
        for width, values in sorted(by_width.items())
        for a, b in RangeSet.from_numbers(values)
    ]
