"""A4 documents built from ReportLab flowables (certificates, issue documents, bulletins)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar
from xml.sax.saxutils import escape

import segno
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate

from earmark.core.fonts import register
from earmark.core.validators import printable

DEFAULT_TOP = inch  # ReportLab's own top and bottom margin
P = ParamSpec("P")
R = TypeVar("R")


def official(build: Callable[P, R]) -> Callable[P, R]:
    """A document is an official record: Chinese whatever language its reader uses (a species,
    a unit, a purpose print as the national form names them)."""

    @functools.wraps(build)
    def chinese(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("zh-hans"):
            return build(*args, **kwargs)

    return chinese


def qr_image(text: str, size: float) -> Image:
    """A QR code of ``text`` as a square picture ``size`` wide, with the quiet zone of four
    modules ISO/IEC 18004 asks for, so that any reader finds it."""
    png = io.BytesIO()
    segno.make_qr(text, error="m").save(png, kind="png", scale=4, border=4)
    png.seek(0)
    return Image(png, width=size, height=size, kind="proportional")


def _over(draw: Callable[[Canvas], None]) -> type[Canvas]:
    class Marked(Canvas):
        def showPage(self) -> None:
            draw(self)
            super().showPage()

    return Marked


def _canvas(on_page: Callable[[Canvas], None] | None, numbered: bool) -> type[Canvas]:
    if numbered:
        return _numbered(on_page)
    return _over(on_page) if on_page else Canvas


def _numbered(on_page: Callable[[Canvas], None] | None) -> type[Canvas]:
    """A canvas that holds its pages until the end, when it knows how many there are, then
    draws ``on_page`` and 第 N 页 共 M 页 at the foot of each."""

    class Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                if on_page is not None:
                    on_page(self)
                self.setFont(register(), 9)
                self.drawCentredString(A4[0] / 2, 7 * mm, f"第 {number} 页 共 {total} 页")
                Canvas.showPage(self)
            Canvas.save(self)

    return Numbered


def a4_pdf(
    story: list[Any],
    *,
    title: str,
    side: float = 16 * mm,
    top: float = 14 * mm,
    on_page: Callable[[Canvas], None] | None = None,
    numbered: bool = False,
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
    ).build(story, canvasmaker=_canvas(on_page, numbered))
    return buffer.getvalue()


def para(text: object, style: Any) -> Paragraph:
    """A paragraph of plain text: user text is data, never ReportLab markup (a farm named
    ``<font color=red>`` prints those characters; ``<img src=…>`` reads no file)."""
    register()  # the font family must be known before a paragraph is parsed
    return Paragraph(escape(printable(str(text))), style)
