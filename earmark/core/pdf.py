"""A4 documents built from ReportLab flowables (certificates, issue documents, bulletins)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from earmark.core.fonts import register
from earmark.core.validators import printable

DEFAULT_TOP = inch  # ReportLab's own top and bottom margin


def _over(draw: Callable[[Canvas], None]) -> type[Canvas]:
    class Marked(Canvas):
        def showPage(self) -> None:
            draw(self)
            super().showPage()

    return Marked


def a4_pdf(
    story: list[Any],
    *,
    title: str,
    side: float = 16 * mm,
    top: float = 14 * mm,
    on_page: Callable[[Canvas], None] | None = None,
) -> bytes:
    """The PDF of ``story`` on A4, with ``side`` margins left and right and ``top`` at the top
    and bottom; ``on_page(canvas)`` draws over every page once its content is laid (a
    watermark no picture hides). Every font in
    it is embedded: the document's own (Noto Sans SC) is also the canvas's first font, so no
    unembedded Helvetica is named."""
    font = register()
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=side,
        rightMargin=side,
        topMargin=top,
        bottomMargin=top,
        title=title,
        initialFontName=font,
    ).build(story, canvasmaker=_over(on_page) if on_page else Canvas)
    return buffer.getvalue()


def para(text: object, style: Any) -> Paragraph:
    """A paragraph of plain text: user text is data, never ReportLab markup (a farm named
    ``<font color=red>`` prints those characters; ``<img src=…>`` reads no file)."""
    register()  # the font family must be known before a paragraph is parsed
    return Paragraph(escape(printable(str(text))), style)
