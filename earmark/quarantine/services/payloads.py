"""What a certificate's QR code carries, signed with the province's key: number, kind, species,
quantity, origin, destination, plate, validity and the tags (as ranges, bounded), and the
address of the public page that checks it."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from earmark.core import signing
from earmark.eartags.ranges import RangeSet
from earmark.quarantine.models import (
    Certificate,
)

# Beyond this many characters of ranges the QR payload carries their digest instead.
MAX_PAYLOAD_RANGES = 1200


def payload_fields(certificate: Certificate, numbers: RangeSet) -> dict[str, object]:
    """The key fields a checkpoint needs offline; the tags as ranges, or their digest."""
    ranges = ",".join(f"{a:015d}-{b:015d}" if a != b else f"{a:015d}" for a, b in numbers)
    fields: dict[str, object] = {
        "v": 1,
        "n": certificate.number,
        "k": certificate.kind,
        "sp": certificate.species,
        "q": certificate.quantity,
        "o": certificate.premises.code,
        "ot": certificate.township_code,
        "d": certificate.destination_region_id or certificate.destination_province,
        "pl": certificate.vehicle_plate,
        # The destination premises, where one was declared: only there may it be received.
        **(
            {"dp": certificate.destination_premises.code}
            if certificate.destination_premises
            else {}
        ),
        "i": certificate.valid_from.isoformat(),
        "u": certificate.valid_until.isoformat(),
    }
    if len(ranges) <= MAX_PAYLOAD_RANGES:
        fields["t"] = ranges
    else:
        fields["td"] = signing.ranges_digest(list(numbers.ranges))
    return fields


def qr_url(certificate: Certificate) -> str:
    path = reverse("certificate-verify", args=[certificate.number])
    return f"{settings.EARMARK_PUBLIC_URL}{path}?p={quote(certificate.payload)}"
