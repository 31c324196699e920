"""A4 documents built from ReportLab flowables (certificates, issue documents, bulletins)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from earmark.core.validators import printable

DEFAULT_TOP = inch  # ReportLab's own top and bottom margin


def a4_pdf(story: list[Any], *, title: str, side: float = 16 * mm, top: float = 14 * mm) -> bytes:
    """The PDF of ``story`` on A4, with ``side`` margins left and right and ``top`` at the top
    and bottom."""
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=side,
        rightMargin=side,
        topMargin=top,
        bottomMargin=top,
        title=title,
    ).build(story)
    return buffer.getvalue()


def para(text: object, style: Any) -> Paragraph:
    """A paragraph of plain text: user text is data, never ReportLab markup (a farm named
    ``<font color=red>`` prints those characters; ``<img src=…>`` reads no file)."""
    return Paragraph(escape(printable(str(text))), style)
