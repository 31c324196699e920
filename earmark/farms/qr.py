"""A farm's QR code (PNG, SVG) and its printable card (PDF, Chinese)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from earmark.core.fonts import SANS_BOLD, register
from earmark.farms.models import Premises


def farm_page_url(premises: Premises) -> str:
    return settings.EARMARK_PUBLIC_URL + reverse("farm-page", args=[premises.qr_token])


def _qr(premises: Premises) -> segno.QRCode:
    # Level M survives a scratched or dirty card on a barn wall.
    return segno.make_qr(farm_page_url(premises), error="m")


def qr_png(premises: Premises, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    _qr(premises).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(premises: Premises) -> bytes:
    buffer = io.BytesIO()
    _qr(premises).save(buffer, kind="svg", scale=10, border=4, xmldecl=True)
    return buffer.getvalue()


def card_pdf(premises: Premises) -> bytes:
    """An A6 card to post at the farm: name, code, township and the QR code to declare with."""
    buffer = io.BytesIO()
    width, height = A6
    font = register()
    pdf = canvas.Canvas(buffer, pagesize=A6, initialFontName=font)
    pdf.setTitle(f"{premises.code} {premises.name}")
    pdf.setAuthor("Earmark")
    pdf.setFont(font, 14)
    pdf.drawCentredString(width / 2, height - 16 * mm, _("Farm QR code for quarantine declaration"))
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, height - 24 * mm, premises.name[:24])
    qr_size = 62 * mm
    pdf.drawImage(
        ImageReader(io.BytesIO(qr_png(premises, scale=8))),
        (width - qr_size) / 2,
        height - 28 * mm - qr_size,
        qr_size,
        qr_size,
    )
    pdf.setFont(SANS_BOLD, 16)
    pdf.drawCentredString(width / 2, 48 * mm, premises.code)
    pdf.setFont(font, 9)
    county = premises.township.parent
    region = f"{county.name if county else ''}{premises.township.name}"
    pdf.drawCentredString(width / 2, 41 * mm, region)
    pdf.drawCentredString(width / 2, 34 * mm, _("Scan with a phone, enter the PIN, and declare."))
    pdf.setFont(font, 7)
    pdf.drawCentredString(
        width / 2,
        9 * mm,
        _("Printed %(date)s") % {"date": timezone.localdate().isoformat()},
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
