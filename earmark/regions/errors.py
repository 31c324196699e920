"""The refusals of administrative divisions and of the counties' switch-on (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import malformed, refused

NOT_A_REGION_CODE = malformed(
    "not_a_region_code",
    _("This is not a region code."),
    "A region code is 6 digits (to the county) or 9 (a township).",
)
COUNTY_NOT_ENABLED = refused(
    "county_not_enabled",
    _("The new functions are not yet enabled in this county."),
    "System issue of tags, inventory-checked declarations and certificates wait for the "
    "province to switch the county on.",
)
REGION_FILE_REFUSED = malformed(
    "region_file_refused",
    _("The region file has problems; nothing was loaded."),
    "A divisions or alias file (`load_regions`) with missing columns, no rows or faulty rows "
    "(`detail.items`).",
)
