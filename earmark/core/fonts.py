"""The font every PDF embeds: Noto Sans SC (SIL Open Font License), Regular and Bold.

ReportLab embeds TrueType outlines only. Google's Noto Sans SC comes as a variable TrueType font
(weights 100–900, packaged on PyPI by justmytype-intl-cjk) whose default instance is Thin, so
the two weights a document needs are cut from it once with fontTools' instancer and kept in
``EARMARK_FONT_DIR``. A document then embeds the subset of glyphs it uses: it reads the same on
a phone, in WeChat's viewer and on a printer with no Chinese font. The font covers the Basic
Multilingual Plane's CJK ideographs (extension A included), not the supplementary planes.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path

from django.conf import settings
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "NotoSansSC"
SANS_BOLD = "NotoSansSC-Bold"
WEIGHTS = {SANS: 400, SANS_BOLD: 700}


def _variable_font() -> Path:
    return Path(str(files("justmytype_intl_cjk") / "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"))


def font_file(name: str) -> Path:
    return Path(settings.EARMARK_FONT_DIR) / f"{name}.ttf"


def build_fonts() -> list[Path]:
    """Cut the static weights that are not there yet; answer the files made (about 15 s each)."""
    from fontTools.ttLib import TTFont as FontFile
    from fontTools.varLib import instancer

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    made = []
    for name, weight in WEIGHTS.items():
        target = font_file(name)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        static = instancer.instantiateVariableFont(
            FontFile(_variable_font()), {"wght": weight}, updateFontNames=True
        )
        # Written beside its place and renamed: a process that reads it never sees half a font.
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(handle)
        static.save(partial)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
        made.append(target)
    return made


@cache
def register() -> str:
    """Register both weights with ReportLab (building them if need be); answer the regular
    name. ``<b>`` in a paragraph of this family selects the bold weight."""
    if build_fonts():
        logging.getLogger(__name__).warning(
            "built the PDF fonts on first use; run `earmark build_fonts` when deploying"
        )
    for name in WEIGHTS:
        pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)
    return SANS
