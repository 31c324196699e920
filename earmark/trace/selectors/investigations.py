"""Reading an investigation: for any county it reached, with the alerts it raised."""

from __future__ import annotations

from django.db.models import QuerySet

from earmark.accounts.access import can_read_region
from earmark.accounts.models import User
from earmark.core.errors import NotFound
from earmark.movements.models import Alert
from earmark.trace.models import Investigation


def investigation_get(*, user: User, number: str) -> Investigation:
    investigation = (
        Investigation.objects.select_related("subject_premises", "opened_by")
        .filter(number=number)
        .first()
    )
    if investigation is None:
        raise NotFound()
    counties = set(investigation.alerts.values_list("county_id", flat=True)) | {
        investigation.county_code
    }
    if not any(can_read_region(user, county) for county in counties):
        raise NotFound()
    return investigation


def investigation_alerts(*, investigation: Investigation) -> QuerySet[Alert]:
    """The alert each county reached got, with who acknowledged it, by county."""
    return investigation.alerts.select_related("acknowledged_by").order_by("county_id")
