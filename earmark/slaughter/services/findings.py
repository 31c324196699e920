"""A food-safety finding on meat a product certificate covers (in a shop, a canteen): the
counties its batch's animals came from are alerted with each certificate's trace."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from earmark.accounts.access import require_role
from earmark.accounts.models import Role, User
from earmark.audit.services import audit_record
from earmark.core.errors import BusinessError
from earmark.slaughter.errors import PRODUCT_CERTIFICATE_REFUSED
from earmark.slaughter.models import ProductCertificate
from earmark.slaughter.services.batches import alert_origins


@transaction.atomic
def product_finding_report(*, actor: User, certificate: ProductCertificate, finding: str) -> int:
    """Answers how many counties' alerts were raised (one per certificate of the batch)."""
    require_role(
        actor, Role.OFFICIAL_VET, Role.COUNTY_OFFICER, Role.CITY_OFFICER, Role.PROVINCE_ADMIN
    )
    if not finding.strip():
        raise BusinessError(
            _("Describe what was found."),
            code=PRODUCT_CERTIFICATE_REFUSED,
            fields={"finding": _("Describe what was found.")},
        )
    batch = certificate.batch
    raised = alert_origins(
        actor,
        batch,
        _("Finding on product certificate %(number)s (batch %(batch)s): %(finding)s")
        % {"number": certificate.number, "batch": batch.number, "finding": finding.strip()[:300]},
    )
    audit_record(
        actor=actor,
        action="product_certificate.finding",
        obj=certificate,
        region_code=certificate.county_code,
        details={"finding": finding.strip()[:300], "alerts": raised},
    )
    return raised
