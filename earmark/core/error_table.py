"""The reference of every error code, as ``docs/api.md`` lists it: written from the registry
(``earmark error_codes --write``), checked against it by the suite."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from django.conf import settings
from django.utils import translation

from earmark.core.errors import ErrorCode, registered

START = "<!-- error codes: written by `earmark error_codes --write`; do not edit by hand -->"
END = "<!-- end of error codes -->"
DOCUMENT = Path(settings.BASE_DIR).parent / "docs" / "api.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def error_table() -> str:
    """One table per app: code, status, meaning, and the message in Chinese and English."""
    lines = [START, ""]
    for module, entries in groupby(registered(), key=lambda entry: entry.module):
        app = module.split(".")[1]
        lines += [
            f"#### {app}",
            "",
            "| code | status | meaning | 中文 | English |",
            "|---|---|---|---|---|",
        ]
        for entry in entries:
            lines.append(
                f"| `{entry.code}` | {entry.status} | {_cell(entry.meaning)} "
                f"| {_cell(_message(entry, 'zh-hans'))} | {_cell(_message(entry, 'en'))} |"
            )
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def _message(entry: ErrorCode, language: str) -> str:
    with translation.override(language):
        return str(entry.message)


def document_with_table(text: str) -> str:
    """``docs/api.md``'s text with its table of codes as the registry has it now."""
    head, _start, rest = text.partition(START)
    _old, _end, tail = rest.partition(END)
    if not _start or not _end:
        raise ValueError(f"{DOCUMENT} has no place for the table of error codes")
    return head + error_table() + tail
