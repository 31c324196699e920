"""The refusals of the rollout and its supervision (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

PERIOD_NOT_BEGUN = refused(
    "period_not_begun",
    _("A bulletin reports a month that has begun."),
    "A monthly bulletin is issued for the running or a past month, never a future one.",
)
BULLETIN_WRONG_STATUS = conflict(
    "bulletin_wrong_status",
    _("The bulletin is not at this step."),
    "A draft is reviewed, a reviewed bulletin is issued; an issued bulletin is changed only by "
    "a correction that names it.",
)
BULLETIN_OWN_REVIEW = refused(
    "bulletin_own_review",
    _("A bulletin is reviewed by another official than the one who drafted it."),
    "Four eyes: whoever drafts a bulletin does not review it.",
)
BULLETIN_NOT_CORRECTABLE = refused(
    "bulletin_not_correctable",
    _("Only an issued bulletin of your region can be corrected."),
    "A correction names an issued bulletin of the same region.",
)
TERMINAL_REGISTERED = conflict(
    "terminal_registered",
    _("This terminal is already registered."),
    "A mobile terminal (动监e通) is registered once, by serial number or IMEI.",
)
COUNTY_ALREADY_ENABLED = conflict(
    "county_already_enabled",
    _("The county is already enabled."),
    "Requesting or granting enablement for a county switched on already.",
)
ENABLEMENT_ALREADY_REQUESTED = conflict(
    "enablement_already_requested",
    _("Enablement is already requested."),
    "A county requests enablement once; the province answers it.",
)
ENABLEMENT_NOT_REQUESTED = conflict(
    "enablement_not_requested",
    _("The county has not requested enablement."),
    "The province enables a county that asked for it.",
)
COUNTY_NOT_READY = refused(
    "county_not_ready",
    _("Enablement cannot be requested yet."),
    "Farms verified, inventory registered, staff trained and a planned date come first; "
    "`detail.items` lists what is missing.",
)
COUNTY_ALREADY_ACCEPTED = conflict(
    "county_already_accepted",
    _("The county is already accepted."),
    "A county's rollout is accepted (验收) once.",
)
ROUND_EXISTS = conflict(
    "round_exists",
    _("A round for this period exists already."),
    "One round of progress reports per period.",
)
REPORT_FILED = conflict(
    "report_filed",
    _("Your county has filed its report for this round."),
    "A county files one progress report per round.",
)
FIX_ANSWERED = conflict(
    "fix_answered",
    _("This fix has been answered."),
    "An inspection's fix is answered once.",
)
