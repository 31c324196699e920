"""The refusals at the destination, at checkpoints and at the end of life (see core.errors).
Our own certificates and other provinces' are refused with the same codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from earmark.core.errors import conflict, refused

CERTIFICATE_ALREADY_RECEIVED = conflict(
    "certificate_already_received",
    _("The certificate has already been received."),
    "A certificate is received once (arrival, market entry or slaughter).",
)
CERTIFICATE_REVOKED = conflict(
    "certificate_revoked",
    _("The certificate was revoked."),
    "A revoked certificate (by us or by the province that issued it) moves no animals.",
)
CERTIFICATE_EXPIRED = refused(
    "certificate_expired",
    _("The certificate has expired."),
    "The certificate's validity ended before the arrival or the change asked for.",
)
DESTINATION_MISMATCH = refused(
    "destination_mismatch",
    _("The certificate sends the animals elsewhere."),
    "Animals are received only where the certificate sends them (its premises or region, and "
    "a slaughterhouse only for slaughter); a real change is a recorded redirect.",
)
WRONG_PREMISES_KIND = refused(
    "wrong_premises_kind",
    _("This kind of premises does not do this."),
    "Arrivals at farms, households and markets; slaughter at slaughterhouses; carcasses to "
    "disposal plants.",
)
NO_TAG_ON_CERTIFICATE = refused(
    "no_tag_on_certificate",
    _("None of the tags read are on the certificate."),
    "A receipt needs at least one of the certificate's tags read at the destination.",
)
TAGS_ALREADY_KNOWN = refused(
    "tags_already_known",
    _("These tags are in the system already."),
    "Another province's tags arrive once; numbers already known here are not taken again.",
)
SPECIES_NOT_FOLLOWED = refused(
    "species_not_followed",
    _("The certificate's species is not one this system follows."),
    "Another province's certificate for a species missing from `GET /species`.",
)
TAGS_NOT_HERE = refused(
    "tags_not_here",
    _("These tags are not on animals of this premises."),
    "A death is recorded for the premises' own tagged animals.",
)
NO_DISPOSAL_PLANT = conflict(
    "no_disposal_plant",
    _("No disposal plant was named."),
    "A disposal is confirmed only for a death that named its plant.",
)
DISPOSAL_ALREADY_CONFIRMED = conflict(
    "disposal_already_confirmed",
    _("The disposal was confirmed already."),
    "The plant confirms the carcasses it received once.",
)
ALERT_ALREADY_ACKNOWLEDGED = conflict(
    "alert_already_acknowledged",
    _("The alert was acknowledged already."),
    "An alert is acknowledged once, with what was done.",
)
NOT_RECEIVED_HERE = refused(
    "not_received_here",
    _("No animals came into this slaughterhouse on this certificate."),
    "Slaughter is recorded against the certificate whose animals the slaughter inspection "
    "received here (ours or another province's); animals entered by hand are never slaughtered.",
)
SLAUGHTER_BEYOND_CERTIFICATE = refused(
    "slaughter_beyond_certificate",
    _("More animals than the certificate brought in and still wait for slaughter."),
    "A slaughter record counts at most the animals its certificate brought into the "
    "slaughterhouse less those slaughtered under it already.",
)
CERTIFICATE_RESTRICTED = refused(
    "certificate_restricted",
    _("The certificate's origin is under a movement restriction."),
    "The origin premises fell under a movement restriction (after issue): the animals are "
    "received only once the destination county records an override with its reason.",
)
NO_RESTRICTION = conflict(
    "no_restriction",
    _("No movement restriction stands over this certificate's origin."),
    "An override is recorded only for a certificate whose origin is restricted, once.",
)
