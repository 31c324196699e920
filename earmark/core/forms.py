"""Putting a business refusal on a web form: field problems next to their fields, the problems
of each tag range or row under the field they came from, the rest above the form. The one
helper every page uses (the API renders the same refusal as JSON)."""

from __future__ import annotations

from typing import Any

from django import forms

from earmark.core.errors import BusinessError


def _texts(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def problem_text(problem: Any) -> str:
    if isinstance(problem, dict) and "text" in problem:
        return f"{problem['text']}：{problem.get('message', '')}"
    if isinstance(problem, dict) and "tags" in problem:
        return f"{problem['tags']}：{'；'.join(map(str, problem.get('problems', [])))}"
    return str(problem)


def show_error(
    form: forms.Form,
    error: BusinessError,
    *,
    problems_field: str = "",
    renamed: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Show every part of ``error`` on ``form``: nothing the user must correct is hidden.

    ``detail`` may name fields (``fields``, or older refusals at its top level), rows of a
    workbook or form (``rows``: line, field, message), general reasons (``general``) and
    problems by tag or range (``problems``, shown under ``problems_field``; ``tags``, returned
    for a table). ``renamed`` maps a service's field names to the form's.
    """
    detail = error.detail or {}
    renamed = renamed or {}

    def field_of(name: str) -> str | None:
        name = renamed.get(name, name)
        return name if name in form.fields else None

    fields = dict(detail.get("fields") or {})
    fields.update({k: v for k, v in detail.items() if field_of(k) and not isinstance(v, dict)})
    shown = False
    for name, value in fields.items():
        for text in _texts(value):
            form.add_error(field_of(name), text)
            shown = True
    rows = detail.get("rows") or []
    for key, row in rows.items() if isinstance(rows, dict) else enumerate(rows):
        if isinstance(row, dict):
            form.add_error(field_of(str(row.get("field", ""))), str(row.get("message", "")))
        else:
            form.add_error(None, f"{key}：{row}")
        shown = True
    for text in detail.get("general") or []:
        form.add_error(None, str(text))
        shown = True
    problems = detail.get("problems") or []
    table = list(detail.get("tags") or [])
    if problems or (not shown and not table):
        form.add_error(None, str(error.message))
    target = field_of(problems_field) if problems_field else None
    for problem in problems:
        form.add_error(target, problem_text(problem))
    return table


def error_lines(error: BusinessError) -> list[str]:
    """Every problem in ``error`` beyond its message, one line each (for messages)."""
    detail = error.detail or {}
    lines: list[str] = []
    for name, value in (detail.get("fields") or {}).items():
        lines.extend(f"{name}：{text}" for text in _texts(value))
    lines.extend(str(text) for text in detail.get("general") or [])
    rows = detail.get("rows") or []
    for key, row in rows.items() if isinstance(rows, dict) else enumerate(rows):
        if isinstance(row, dict):
            lines.append(f"{row.get('line', '')} {row.get('message', '')}".strip())
        else:
            lines.append(f"{key}：{row}")
    for group in ("tags", "problems"):
        lines.extend(problem_text(problem) for problem in detail.get(group) or [])
    return lines
