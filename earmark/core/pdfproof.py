"""Reading a PDF back as a reader would, for tests: its text, whether every font travels with
it (embedded, as ``pdffonts`` reports), whether every character has a glyph, and a PNG of each
page (poppler's pdftoppm) kept under ``test-artifacts/`` as evidence."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from earmark.core.browser import ARTIFACTS
from earmark.core.fonts import SANS, font_file, register


@dataclass(frozen=True)
class Proof:
    text: str
    # (font name, embedded) for every font any page uses.
    fonts: list[tuple[str, bool]]
    # Characters of the text the embedded font has no glyph for (they print as boxes).
    missing: set[str]
    images: int


@cache
def _glyphs() -> frozenset[int]:
    register()
    return frozenset(TTFont(font_file(SANS)).getBestCmap())


def _embedded(reference: Any) -> bool:
    font = reference.get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def read_pdf(content: bytes) -> Proof:
    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, bool] = {}
    texts = []
    images = 0
    for page in reader.pages:
        texts.append(page.extract_text())
        images += len(page.images)
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            name = str(font.get_object()["/BaseFont"])
            fonts[name] = _embedded(font)
    text = "\n".join(texts)
    glyphs = _glyphs()
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in glyphs}
    return Proof(text, sorted(fonts.items()), missing, images)


def assert_travels(content: bytes) -> Proof:
    """The document reads the same anywhere: every font embedded, every character a glyph."""
    proof = read_pdf(content)
    assert proof.fonts, "the document uses no font"
    assert all(embedded for _name, embedded in proof.fonts), proof.fonts
    assert not proof.missing, f"characters without a glyph: {sorted(proof.missing)}"
    return proof


def render_png(content: bytes, name: str, *, page: int = 1, dpi: int = 110) -> Path:
    """Page ``page`` as a PNG in ``test-artifacts/`` (poppler-utils must be installed)."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing: apt-get install -y poppler-utils"
    ARTIFACTS.mkdir(exist_ok=True)
    # The SQLite and PostgreSQL runs go side by side: each keeps its own pictures.
    database = os.environ.get("EARMARK_TEST_DATABASE", "local").lower()
    target = ARTIFACTS / f"{name}-{database}"
    subprocess.run(  # noqa: S603 (poppler on our own document)
        [
            tool,
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            "-",
            str(target),
        ],
        input=content,
        check=True,
        timeout=60,
    )
    return target.with_suffix(".png")


def page_words(content: bytes) -> list[list[tuple[str, float, float, float, float, float, float]]]:
    """Every word of every page with its box and the page's size, as poppler's ``pdftotext
    -bbox`` lays them: (word, x_min, y_min, x_max, y_max, page width, page height)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: apt-get install -y poppler-utils"
    html = subprocess.run(  # noqa: S603 (poppler on our own document)
        [tool, "-bbox", "-", "-"], input=content, check=True, capture_output=True, timeout=120
    ).stdout.decode()
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width, height = float(page[1]), float(page[2])
        pages.append(
            [
                (unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]), width, height)
                for m in re.finditer(
                    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">'
                    r"(.*?)</word>",
                    page[3],
                )
            ]
        )
    return pages


def assert_inside(content: bytes) -> list[str]:
    """No word runs outside its page (a cut name, a column off the edge); the text of each
    page, for the caller's own checks."""
    texts = []
    for number, words in enumerate(page_words(content), 1):
        for word, x0, y0, x1, y1, width, height in words:
            assert x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height, (number, word)
        texts.append("".join(word for word, *_box in words))
    return texts
