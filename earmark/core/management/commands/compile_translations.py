from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compile the project's .po translation files into .mo files. Unlike Django's "
        "compilemessages it needs no GNU gettext, so a fresh machine can run it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalog = polib.pofile(str(po_path))
                # Fuzzy entries are guesses; like msgfmt, leave them out of the compiled file.
                for entry in catalog.fuzzy_entries():
                    catalog.remove(entry)
                catalog.save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"translations: {compiled} catalogue(s) compiled")
