"""The refusals of slaughter quarantine and product certificates (see core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

BATCH_WRONG_STATUS = conflict(
    "batch_wrong_status",
    _("The slaughter batch is not at this step."),
    "The post-mortem is recorded once, on a batch whose ante-mortem is done; product "
    "certificates come from a batch that passed.",
)
BATCH_REFUSED = refused(
    "batch_refused",
    _("The slaughter batch could not be recorded."),
    "What the batch records does not add up: its animals, tags, condemned, products "
    "(`detail.fields` names each problem).",
)
OVER_CERTIFIED = refused(
    "over_certified",
    _("More than the batch produced would be certified."),
    "The product certificates of a batch never certify more, by quantity or weight, than it "
    "produced of that kind; a split never more than is left on its certificate.",
)
PRODUCT_CERTIFICATE_REFUSED = refused(
    "product_certificate_refused",
    _("The product certificate could not be issued."),
    "What a product certificate, its revocation or a finding on it says is incomplete "
    "(`detail.fields` names each problem).",
)
NOT_SPLITTABLE = refused(
    "not_splittable",
    _("Only a valid product certificate sent to your county can be split."),
    "A product certificate is split (分销换证) by the county of its destination, while valid.",
)
