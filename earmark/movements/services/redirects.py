"""A change of destination (改变到达地): animals certified for one place go to another. The
destination county records it with a reason before the animals are received; the origin county
and both destination counties are alerted, and the trace shows it. Nothing moves silently."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.outbox import outbox_emit
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound, PermissionDenied
from earmark.farms.models import Premises
from earmark.movements.errors import CERTIFICATE_EXPIRED
from earmark.movements.models import Alert, Receipt
from earmark.movements.services.alerts import alert_raise
from earmark.quarantine.errors import CERTIFICATE_NOT_VALID
from earmark.quarantine.models import Certificate, Redirect
from earmark.quarantine.selectors import certificate_visible
from earmark.regions.provinces import leaves_province, own_province

RECEIVING_KINDS = (Premises.Kind.FARM, Premises.Kind.HOUSEHOLD, Premises.Kind.SLAUGHTERHOUSE)


def _current_destination(certificate: Certificate) -> str:
    """The region code of where the certificate sends the animals now ("" if out of province)."""
    if certificate.destination_premises is not None:
        return certificate.destination_premises.township_id
    if not leaves_province(certificate.destination_province):
        return certificate.destination_region_id or ""
    return ""


@transaction.atomic
def certificate_redirect(
    *, actor: User, certificate: Certificate, to_premises: Premises, reason: str
) -> Redirect:
    """Send a certificate's animals to ``to_premises`` instead, recorded by an officer of the
    county they were sent to (the new premises may lie anywhere in the province)."""
    require_role(actor, Role.COUNTY_OFFICER, Role.OFFICIAL_VET)
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("premises", "declaration", "destination_premises", "issued_by")
        .get(pk=certificate.pk)
    )
    if not certificate_visible(actor, certificate):
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": certificate.number})
    current = _current_destination(certificate)
    if not (current and can_read_region(actor, current)):
        # Only the county the animals are sent to may send them elsewhere: another county
        # cannot divert a certificate to its own premises.
        raise PermissionDenied(
            _("A change of destination is recorded by the county the animals are sent to.")
        )
    if (
        certificate.status != Certificate.Status.VALID
        or Receipt.objects.filter(certificate=certificate).exists()
    ):
        raise BusinessError(
            _("Certificate %(number)s is %(state)s; its destination cannot change.")
            % {"number": certificate.number, "state": certificate.get_status_display()},
            code=CERTIFICATE_NOT_VALID,
        )
    if certificate.valid_until < timezone.localdate():
        raise BusinessError(
            _("Certificate %(number)s has expired; its destination cannot change.")
            % {"number": certificate.number},
            code=CERTIFICATE_EXPIRED,
        )
    fields: dict[str, str] = {}
    if to_premises.kind not in RECEIVING_KINDS:
        fields["premises"] = _("Animals are received at a farm, household or slaughterhouse.")
    elif to_premises.pk == certificate.destination_premises_id:
        fields["premises"] = _("The certificate already sends the animals there.")
    elif to_premises.pk == certificate.premises_id:
        fields["premises"] = _("The animals cannot be sent back to their origin this way.")
    if not reason.strip():
        fields["reason"] = _("Give the reason for the change of destination.")
    if fields:
        raise BusinessError(
            _("The change of destination could not be recorded."),
            code=INVALID_INPUT,
            fields=fields,
        )
    redirect = Redirect.objects.create(
        certificate=certificate,
        from_premises=certificate.destination_premises,
        from_region_id=certificate.destination_region_id,
        from_province=certificate.destination_province,
        to_premises=to_premises,
        reason=reason.strip()[:200],
        county_code=county_of(actor.region_code or "") or "",
        recorded_by=actor,
    )
    before = certificate.destination_premises
    certificate.destination_premises = to_premises
    certificate.destination_region_id = to_premises.township_id
    certificate.destination_province = own_province()
    certificate.save(
        update_fields=["destination_premises", "destination_region", "destination_province"]
    )
    message = _(
        "Certificate %(number)s: destination changed from %(before)s to %(after)s (%(code)s): "
        "%(reason)s"
    ) % {
        "number": certificate.number,
        "before": before.name if before else certificate.destination,
        "after": to_premises.name,
        "code": to_premises.code,
        "reason": redirect.reason,
    }
    counties = [certificate.county_code, county_of(current) if current else None]
    counties.append(to_premises.county_code)
    for county in dict.fromkeys(c for c in counties if c):
        alert_raise(
            actor=actor,
            kind=Alert.Kind.REDIRECT,
            certificate=certificate,
            message=message,
            extra={
                "from": before.code if before else certificate.destination,
                "to": to_premises.code,
                "reason": redirect.reason,
            },
            county=county,
        )
    outbox_emit(
        "certificate.redirected",
        f"certificate:{certificate.number}",
        {
            "certificate": certificate.number,
            "from_premises": before.code if before else None,
            "from_region": redirect.from_region_id,
            "to_premises": to_premises.code,
            "reason": redirect.reason,
        },
    )
    audit_record(
        actor=actor,
        action="certificate.redirect",
        obj=certificate,
        region_code=to_premises.township_id,
        details={
            "from": before.code if before else redirect.from_region_id,
            "to": to_premises.code,
            "reason": redirect.reason,
        },
    )
    return redirect
