"""Checks at road checkpoints: a certificate read from its QR code or typed in,
recorded with place and time, online or uploaded later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import INVALID_INPUT, NOTHING_GIVEN, BusinessError, invalid
from earmark.core.species import species_digits
from earmark.core.validators import has_control_characters, is_plate, normalize_plate
from earmark.eartags.parse import parse_tags
from earmark.eartags.ranges import RangeSet
from earmark.farms.models import Restriction
from earmark.farms.selectors import checkpoint_of
from earmark.movements.models import Alert, CheckpointCheck, ForeignReceipt
from earmark.movements.services.alerts import alert_raise
from earmark.movements.services.check_findings import (
    Expected,
    Observed,
    differences,
    standing_of,
)
from earmark.movements.services.foreign_receipts import issuer_tell_check
from earmark.movements.services.receipts import certificate_numbers
from earmark.quarantine.models import Certificate, ForeignCertificate
from earmark.quarantine.registry import foreign_certificate_get, payload_verify
from earmark.quarantine.selectors import certificate_state, origin_restriction

# A check made offline is uploaded within this many days; one dated later than now (beyond the
# phone's clock drift) is refused.
OFFLINE_DAYS = 30
CLOCK_DRIFT = timedelta(minutes=10)


@dataclass(frozen=True)
class Seen:
    """What the officer saw on the vehicle, all optional: the plate, the number of animals, the
    tags read (as typed) and whether the vehicle was disinfected at the checkpoint."""

    vehicle_plate: str = ""
    animals_seen: int | None = None
    tags_read: str = ""
    disinfected: bool | None = None

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        plate = normalize_plate(self.vehicle_plate)
        if plate and not is_plate(plate):
            errors["vehicle_plate"] = _("Enter the vehicle plate, e.g. 吉A12345.")
        if self.animals_seen is not None and not 0 <= self.animals_seen <= 5000:
            errors["animals_seen"] = _("How many animals it carries, from 1 to 5,000.")
        if len(self.tags_read) > 2000 or has_control_characters(self.tags_read, multiline=True):
            errors["tags_read"] = _("At most 2,000 characters, without control characters.")
        elif self.tags_read.strip():
            parsed = parse_tags(self.tags_read, species=species_digits())
            if parsed.problems or parsed.legacy:
                errors["tags_read"] = _("Some numbers could not be read.")
        return errors

    def tags(self) -> RangeSet:
        if not self.tags_read.strip():
            return RangeSet()
        return parse_tags(self.tags_read, species=species_digits()).numbers


@dataclass
class CheckOutcome:
    check: CheckpointCheck
    certificate: Certificate | None
    # Another province's certificate, as the platform handed it over.
    foreign: ForeignCertificate | None = None


@transaction.atomic
def checkpoint_check(
    *,
    actor: User,
    place: str,
    payload: str = "",
    number: str = "",
    checked_at: datetime | None = None,
    offline: bool = False,
    seen: Seen | None = None,
) -> CheckOutcome:
    """Check a certificate from its QR payload (signature and status) or its number; recorded
    with place and time, and with what the officer saw on the vehicle (``seen``). An officer
    posted at a designated checkpoint checks there: it is recorded, and names the place.
    ``offline`` uploads a check made earlier without a network."""
    require_role(actor, Role.CHECKPOINT_OFFICER)
    post = checkpoint_of(officer=actor)
    if post is not None and not place.strip():
        place = post.name
    seen = seen or Seen()
    problems = seen.problems()
    if problems:
        raise invalid(_("The check was not recorded."), problems)
    if not place.strip():
        raise BusinessError(
            _("Say where the check took place."),
            code=INVALID_INPUT,
            fields={"place": _("Say where the check took place.")},
        )
    now = timezone.now()
    if checked_at is not None and not (
        now - timedelta(days=OFFLINE_DAYS) <= checked_at <= now + CLOCK_DRIFT
    ):
        message = _(
            "A check is uploaded within %(days)d days of when it was made, never ahead."
        ) % {"days": OFFLINE_DAYS}
        raise invalid(message, {"checked_at": message})
    signature_valid = None
    own = settings.EARMARK_PROVINCE_CODE
    issuer = own
    verified_fields: dict[str, object] = {}
    if payload.strip():
        # Another province's certificate is checked against that province's trusted key.
        verified, issuer = payload_verify(payload)
        signature_valid = verified.ok
        verified_fields = verified.fields if verified.ok else {}
        number = str(verified.fields.get("n", number)) if verified.fields else number
    number = number.strip()
    if not number:
        raise BusinessError(
            _("Scan the QR code or type the certificate number."), code=NOTHING_GIVEN
        )
    certificate = (
        Certificate.objects.select_related("premises", "destination_region")
        .filter(number=number)
        .first()
        if issuer == own
        else None
    )
    foreign = foreign_certificate_get(number=number) if certificate is None else None
    if foreign is not None:
        issuer = foreign.province
    today = timezone.localdate()
    if signature_valid is False or any(
        document is not None and payload.strip() and document.payload != payload.strip()
        for document in (certificate, foreign)
    ):
        result: str = CheckpointCheck.Result.FORGED
    elif certificate is not None:
        result = certificate_state(certificate)
    elif foreign is not None and foreign.revoked_at is not None:
        result = CheckpointCheck.Result.REVOKED
    elif foreign is not None and ForeignReceipt.objects.filter(certificate=foreign).exists():
        result = CheckpointCheck.Result.USED
    elif foreign is not None:
        result = "expired" if today > foreign.valid_until else CheckpointCheck.Result.VALID
    elif signature_valid and issuer != own:
        # Genuine by its issuer's key, not yet handed over by the platform: valid by its dates.
        until = str(verified_fields.get("u", ""))
        result = "expired" if until and until < today.isoformat() else CheckpointCheck.Result.VALID
    else:
        result = CheckpointCheck.Result.UNKNOWN
    findings: list[dict[str, str]] = []
    restriction = None
    if result not in (CheckpointCheck.Result.FORGED, CheckpointCheck.Result.UNKNOWN):
        restriction = origin_restriction(certificate)
        observed = Observed(
            plate=seen.vehicle_plate,
            animals=seen.animals_seen,
            tags=seen.tags(),
            disinfected=seen.disinfected,
            post=post,
        )
        found = differences(expected_of(certificate, foreign, verified_fields), observed)
        result, findings = standing_of(result, restriction, found)
    check = CheckpointCheck.objects.create(
        certificate=certificate,
        issuing_province=issuer if issuer != own else "",
        number=number[:20],
        result=result,
        signature_valid=signature_valid,
        offline=offline,
        place=place.strip()[:100],
        checkpoint=post,
        vehicle_plate=normalize_plate(seen.vehicle_plate),
        animals_seen=seen.animals_seen,
        tags_read=seen.tags_read.strip(),
        disinfected=seen.disinfected,
        findings=findings,
        county_code=county_of(actor.region_code or "") or "",
        checked_by=actor,
        checked_at=checked_at or now,
    )
    audit_record(
        actor=actor,
        action="checkpoint.check",
        obj=check,
        region_code=check.county_code,
        details={"number": number, "result": result, "offline": offline},
    )
    if certificate is not None:
        check_alerts(actor, check, certificate, restriction)
    elif foreign is not None:
        # Another province's certificate: its issuer is told, through the platform.
        issuer_tell_check(foreign, check)
    return CheckOutcome(check, certificate, foreign)


def expected_of(
    certificate: Certificate | None,
    foreign: ForeignCertificate | None,
    signed: dict[str, object],
) -> Expected:
    """What the certificate says of the journey: ours from its record, another province's
    from what the platform handed over and what its signature covers."""
    if certificate is not None:
        return Expected(
            plate=certificate.vehicle_plate,
            quantity=certificate.quantity,
            tags=certificate_numbers(certificate),
            checkpoint=certificate.checkpoint_site
            if certificate.kind == Certificate.Kind.A
            else None,
        )
    quantity = signed.get("q")
    return Expected(
        plate=str(signed.get("pl", "")),
        quantity=foreign.quantity
        if foreign is not None
        else (int(quantity) if isinstance(quantity, int) else None),
        tags=RangeSet.of(tuple(pair) for pair in foreign.tags) if foreign is not None else None,
    )


def check_alerts(
    actor: User, check: CheckpointCheck, certificate: Certificate, restriction: Restriction | None
) -> None:
    """A check that finds the certificate restricted alerts the origin county; one that finds
    differences alerts the origin county and the destination county, each difference named."""
    if check.result == CheckpointCheck.Result.RESTRICTED and restriction is not None:
        alert_raise(
            actor=actor,
            kind=Alert.Kind.RESTRICTED,
            certificate=certificate,
            message=_(
                "Certificate %(number)s checked at %(place)s while its origin is under a "
                "movement restriction: %(reason)s"
            )
            % {"number": certificate.number, "place": check.place, "reason": restriction.reason},
            extra={"check": check.pk, "restriction": restriction.pk},
        )
    differing = [f for f in check.findings if f["code"] != "restricted"]
    if not differing:
        return
    message = _("Checked at %(place)s: %(differences)s") % {
        "place": check.place,
        "differences": " ".join(f["message"] for f in differing),
    }
    extra: dict[str, object] = {"check": check.pk, "differences": differing}
    counties = [certificate.county_code]
    region = certificate.destination_region_id or ""
    # A type A certificate's destination lies in another province: its county is not ours.
    destination = county_of(region) if region else None
    if destination and destination not in counties:
        counties.append(destination)
    for county in counties:
        alert_raise(
            actor=actor,
            kind=Alert.Kind.CHECK_MISMATCH,
            certificate=certificate,
            message=message,
            extra=extra,
            county=county,
        )


def scanned_code(text: str) -> tuple[str, str]:
    """What a checkpoint read, as (signed payload, certificate number): the address of a
    certificate's QR code (its ``?p=`` payload and the number at its end), a payload alone
    (``body.signature``) or a number typed."""
    code = text.strip()
    if code.startswith(("http://", "https://")):
        address = urlparse(code)
        return parse_qs(address.query).get("p", [""])[0], address.path.rstrip("/").rsplit("/", 1)[
            -1
        ]
    if "." in code:
        return code, ""
    return "", code
