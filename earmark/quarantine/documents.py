"""The printed certificate, A4, laid out like the official 动物检疫合格证明 form."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle

from earmark.core.pdf import a4_pdf, para
from earmark.core.species import Species
from earmark.eartags.codes import format_range
from earmark.farms.qr import CHINESE_FONT
from earmark.quarantine.models import Certificate
from earmark.quarantine.services.certificates import qr_url


def certificate_pdf(certificate: Certificate) -> bytes:
    title = ParagraphStyle("title", fontName=CHINESE_FONT, fontSize=18, leading=24, alignment=1)
    cell = ParagraphStyle("cell", fontName=CHINESE_FONT, fontSize=10, leading=14)
    small = ParagraphStyle("small", fontName=CHINESE_FONT, fontSize=8, leading=11)
    kind = "动物A" if certificate.kind == Certificate.Kind.A else "动物B"
    tags = "、".join(format_range(r.first, r.last) for r in certificate.ranges.all())
    issued = timezone.localtime(certificate.issued_at)

    def p(text: object) -> Paragraph:
        return para(text, cell)

    rows = [
        [p(_("Owner")), p(certificate.owner_name), p(_("Phone")), p(certificate.owner_phone)],
        [
            p(_("Species")),
            p(Species(certificate.species).label),
            p(_("Quantity")),
            p(f"{certificate.quantity}"),
        ],
        [p(_("Origin")), p(certificate.origin), "", ""],
        [p(_("Destination")), p(certificate.destination), "", ""],
        [
            p(_("Purpose")),
            p(certificate.get_purpose_display()),
            p(_("Carrier")),
            p(f"{certificate.carrier_name} {certificate.carrier_phone}"),
        ],
        [
            p(_("Vehicle plate")),
            p(certificate.vehicle_plate),
            p(_("Valid")),
            p(
                _("%(from)s to %(until)s")
                % {"from": certificate.valid_from, "until": certificate.valid_until}
            ),
        ],
        [p(_("Ear tags")), para(tags, small), "", ""],
        [
            p(_("Official veterinarian")),
            p(str(certificate.issued_by)),
            p(_("Issued on")),
            p(issued.strftime("%Y-%m-%d %H:%M")),
        ],
    ]
    if certificate.supersedes is not None:
        rows.append([p(_("Replaces")), p(certificate.supersedes.number), "", ""])
    table = Table(rows, colWidths=[28 * mm, 72 * mm, 24 * mm, 54 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("SPAN", (1, 2), (3, 2)),
                ("SPAN", (1, 3), (3, 3)),
                ("SPAN", (1, 6), (3, 6)),
                *([("SPAN", (1, 8), (3, 8))] if certificate.supersedes is not None else []),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
            ]
        )
    )
    qr = io.BytesIO()
    segno.make_qr(qr_url(certificate), error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    header = Table(
        [
            [
                para(_("Animal quarantine certificate (%(kind)s)") % {"kind": kind}, title),
                para(_("No. %(number)s") % {"number": certificate.number}, cell),
            ]
        ],
        colWidths=[130 * mm, 48 * mm],
    )
    story = [
        header,
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 6 * mm),
        Image(qr, width=42 * mm, height=42 * mm, kind="proportional"),
        para(
            _("Scan to verify. The code is signed by the province; a changed certificate fails."),
            small,
        ),
    ]
    if certificate.status == Certificate.Status.REVOKED:
        story.insert(
            1, para(_("REVOKED: %(reason)s") % {"reason": certificate.revoked_reason}, title)
        )
    return a4_pdf(story, title=certificate.number)
