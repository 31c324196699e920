"""Putting a business refusal on a web form: field problems next to their fields, the problems
of each tag range or row under the field they came from, the rest above the form. The one
helper every page uses (the API renders the same refusal as JSON, see ``core.errors``)."""

from __future__ import annotations

from typing import Any

from django import forms

from earmark.core.errors import BusinessError


def item_text(entry: dict[str, Any]) -> str:
    """One item of ``detail.items`` as one line: its reference, then its problems."""
    problems = "；".join(str(p) for p in entry.get("problems", []))
    ref = str(entry.get("ref", ""))
    return f"{ref}：{problems}" if ref else problems


def show_error(
    form: forms.Form,
    error: BusinessError,
    *,
    items_field: str = "",
    renamed: dict[str, str] | None = None,
    table: bool = False,
) -> list[dict[str, Any]]:
    """Show every part of ``error`` on ``form``: nothing the user must correct is hidden.

    Field problems go next to their fields; each item goes under the field it names, else under
    ``items_field``, else above the form. With ``table`` the items that name a tag range or row
    are returned for the page to list instead. ``renamed`` maps a service's field names to the
    form's.
    """
    renamed = renamed or {}

    def field_of(name: str) -> str | None:
        name = renamed.get(name, name)
        return name if name in form.fields else None

    for name, texts in error.detail["fields"].items():
        for text in texts:
            form.add_error(field_of(name), text)
    rows: list[dict[str, Any]] = []
    placed: list[tuple[str | None, str]] = []
    for entry in error.detail["items"]:
        if table and entry["ref"]:
            rows.append(entry)
        else:
            target = field_of(entry["field"]) or field_of(items_field)
            placed.append((target, item_text(entry)))
    # The message heads problems shown under a field, and stands alone when nothing else says
    # what is wrong; a list above the form or the table speaks for itself.
    under_a_field = any(target for target, _text in placed)
    if under_a_field or not (error.detail["fields"] or rows or placed):
        form.add_error(None, str(error.message))
    for target, text in placed:
        form.add_error(target, text)
    return rows


def error_lines(error: BusinessError) -> list[str]:
    """Every problem in ``error`` beyond its message, one line each (for messages)."""
    lines = [f"{name}：{text}" for name, texts in error.detail["fields"].items() for text in texts]
    lines.extend(item_text(entry) for entry in error.detail["items"])
    return lines
