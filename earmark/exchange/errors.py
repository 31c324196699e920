"""The refusals of the exchange: exports and the outbox (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

EXPORT_TOO_LARGE = refused(
    "export_too_large",
    _("The period holds too much for one export; ask for a shorter one."),
    "An EPCIS export is bounded in events and tags; split the period.",
)
HELD_EVENT_HANDLED = conflict(
    "held_event_handled",
    _("This entry was already taken or dropped."),
    "Only an entry the platform handed over that is still set aside can be retried or dropped.",
)
