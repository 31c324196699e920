"""A restriction that reaches the road: a certificate whose origin fell under a movement
restriction reads 限制中 at checkpoints, and is received only after the destination county
records an override with its reason; the origin county is told."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import can_read_region, require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.codes import county_of
from earmark.core.errors import INVALID_INPUT, BusinessError, NotFound, PermissionDenied
from earmark.movements.errors import NO_RESTRICTION
from earmark.movements.models import Alert, RestrictionOverride
from earmark.movements.services.alerts import alert_raise
from earmark.quarantine.models import Certificate
from earmark.quarantine.selectors import certificate_visible, origin_restriction


def destination_code(certificate: Certificate) -> str:
    """The region the animals are sent to, in this province ("" when they leave it)."""
    if certificate.destination_premises is not None:
        return certificate.destination_premises.township_id
    return certificate.destination_region_id or ""


@transaction.atomic
def restriction_override(
    *, actor: User, certificate: Certificate, reason: str
) -> RestrictionOverride:
    """The destination county lets the animals in despite the restriction over their origin:
    once per certificate, with the reason; the origin county is alerted."""
    require_role(actor, Role.COUNTY_OFFICER)
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("premises", "declaration", "destination_premises", "issued_by")
        .get(pk=certificate.pk)
    )
    if not certificate_visible(actor, certificate):
        raise NotFound(_("Certificate %(number)s does not exist.") % {"number": certificate.number})
    destination = destination_code(certificate)
    if not (destination and can_read_region(actor, destination)):
        raise PermissionDenied(_("An override is recorded by the county the animals are sent to."))
    text = " ".join(reason.split())
    if not text or len(text) > 200:
        message = _("Give the reason for letting the animals in (at most 200 characters).")
        raise BusinessError(message, code=INVALID_INPUT, fields={"reason": message})
    restriction = origin_restriction(certificate)
    if restriction is None or RestrictionOverride.objects.filter(certificate=certificate).exists():
        raise BusinessError(code=NO_RESTRICTION)
    try:
        with transaction.atomic():
            override = RestrictionOverride.objects.create(
                certificate=certificate,
                restriction=restriction,
                reason=text,
                county_code=county_of(destination) or "",
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise BusinessError(code=NO_RESTRICTION) from error
    alert_raise(
        actor=actor,
        kind=Alert.Kind.RESTRICTED,
        certificate=certificate,
        message=_(
            "The destination county lets the animals of certificate %(number)s in despite the "
            "restriction over their origin (%(restriction)s): %(reason)s"
        )
        % {"number": certificate.number, "restriction": restriction.reason, "reason": text},
        extra={"override": True, "restriction": restriction.pk},
    )
    audit_record(
        actor=actor,
        action="certificate.restriction_override",
        obj=override,
        region_code=override.county_code,
        details={"certificate": certificate.number, "restriction": restriction.pk},
    )
    return override
