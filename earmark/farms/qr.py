"""A farm's QR code (PNG, SVG) and its printable card (PDF, Chinese)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Image, KeepInFrame, Paragraph, Spacer

from earmark.core.fonts import SANS_BOLD, register
from earmark.core.pdf import para
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
    """An A6 card to post at the farm: name, code, township and the QR code to declare with.
    In Chinese whatever the reader's language; long names wrap (never cut) and the card's
    content shrinks to stay on its one page."""
    with translation.override("zh-hans"):
        return _card(premises)


def _card(premises: Premises) -> bytes:
    buffer = io.BytesIO()
    width, height = A6
    font = register()
    pdf = canvas.Canvas(buffer, pagesize=A6, initialFontName=font)
    pdf.setTitle(f"{premises.code} {premises.name}")
    pdf.setAuthor("Earmark")

    def line(text: str, size: float, bold: bool = False) -> Paragraph:
        style = ParagraphStyle(
            "card",
            fontName=SANS_BOLD if bold else font,
            fontSize=size,
            leading=size * 1.3,
            alignment=1,
            wordWrap="CJK",
        )
        return para(text, style)

    county = premises.township.parent
    region = f"{county.name if county else ''}{premises.township.name}"
    qr = Image(io.BytesIO(qr_png(premises, scale=8)), width=58 * mm, height=58 * mm)
    content = [
        line(_("Farm QR code for quarantine declaration"), 13),
        Spacer(1, 2 * mm),
        line(premises.name, 12, bold=True),
        Spacer(1, 2 * mm),
        qr,
        line(premises.code, 16, bold=True),
        line(region, 9),
        line(_("Scan with a phone, enter the PIN, and declare."), 9),
        Spacer(1, 2 * mm),
        line(_("Printed %(date)s") % {"date": timezone.localdate().isoformat()}, 7),
    ]
    frame = Frame(6 * mm, 6 * mm, width - 12 * mm, height - 12 * mm, showBoundary=0)
    frame.addFromList([KeepInFrame(0, 0, content, mode="shrink")], pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
