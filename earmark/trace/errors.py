"""The refusals of traces, investigations and cases (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

PARTY_NOT_FOUND = refused(
    "party_not_found",
    _("The party was not found in your jurisdiction."),
    "A case is opened against premises, staff or an agency of the county's own jurisdiction.",
)
EVIDENCE_NOT_FOUND = refused(
    "evidence_not_found",
    _("Some records named as evidence were not found; the case was not opened."),
    "Every record named as evidence exists in the jurisdiction; `detail.items` names the others.",
)
CASE_WRONG_STATUS = conflict(
    "case_wrong_status",
    _("The case is not at this step."),
    "A case is decided while open and closed once decided.",
)
