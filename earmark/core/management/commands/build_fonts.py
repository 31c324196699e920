from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earmark.core.fonts import build_fonts


class Command(BaseCommand):
    help = (
        "Cut the Regular and Bold weights of Noto Sans SC that PDFs embed from the packaged "
        "variable font, into EARMARK_FONT_DIR (nothing to do when they are there)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = build_fonts()
        self.stdout.write(f"fonts: {len(made)} weight(s) built" if made else "fonts: ready")
