"""Putting a business refusal on a web form: field problems next to their fields, the problems
of each tag or row under the field they came from, the rest above the form."""

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
    return str(problem)


def show_error(form: forms.Form, error: BusinessError, *, problems_field: str = "") -> None:
    """Show every part of ``error`` on ``form``; nothing the user must correct is hidden."""
    detail = error.detail or {}
    fields = dict(detail.get("fields") or {})
    # Older refusals name fields at the top of ``detail``.
    fields.update({k: v for k, v in detail.items() if k in form.fields and k != "problems"})
    shown = False
    for name, value in fields.items():
        for text in _texts(value):
            form.add_error(name if name in form.fields else None, text)
            shown = True
    for text in detail.get("general") or []:
        form.add_error(None, str(text))
        shown = True
    problems = detail.get("problems") or []
    if problems or not shown:
        form.add_error(None, str(error.message))
    target = problems_field if problems_field in form.fields else None
    for problem in problems:
        form.add_error(target, problem_text(problem))


def error_lines(error: BusinessError) -> list[str]:
    """Every problem in ``error`` beyond its message, one line each (for messages)."""
    detail = error.detail or {}
    lines: list[str] = []
    for name, value in (detail.get("fields") or {}).items():
        lines.extend(f"{name}：{text}" for text in _texts(value))
    lines.extend(str(text) for text in detail.get("general") or [])
    for group in ("tags", "problems"):
        for problem in detail.get(group) or []:
            if isinstance(problem, dict) and "tags" in problem:
                lines.append(f"{problem['tags']}：{'；'.join(map(str, problem['problems']))}")
            else:
                lines.append(problem_text(problem))
    return lines
