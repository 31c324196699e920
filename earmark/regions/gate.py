"""The county gate: whether the province has switched the new functions (system issue of tags,
inventory-checked declarations and certificates) on in a county. A fact about a region, so it
lives low and eartags and quarantine read it without knowing about the rollout."""

from __future__ import annotations

from django.utils.translation import gettext as _

from earmark.core.errors import BusinessError
from earmark.regions.errors import COUNTY_NOT_ENABLED
from earmark.regions.models import Region


def county_enabled(county_code: str) -> bool:
    """Whether the province has switched the new functions on in the county."""
    return Region.objects.filter(code=county_code[:6], enabled_at__isnull=False).exists()


def require_enabled(county_code: str) -> None:
    if not county_enabled(county_code):
        name = Region.objects.filter(code=county_code[:6]).values_list("name", flat=True).first()
        raise BusinessError(
            _(
                "The new functions (system issue of tags, inventory-checked declarations and "
                "certificates) are not yet enabled in %(county)s; the county requests "
                "enablement and the province switches it on."
            )
            % {"county": name or county_code[:6]},
            code=COUNTY_NOT_ENABLED,
        )
