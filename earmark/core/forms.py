"""Putting a business refusal on a web form: field problems next to their fields, the problems
of each tag range or row under the field they came from, the rest above the form. The one
helper every page uses (the API renders the same refusal as JSON, see ``core.errors``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _

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


def form_save(
    request: HttpRequest,
    form: forms.Form | None,
    save: Callable[[dict[str, Any]], object],
    *,
    done: str | Callable[[Any], str],
    message: str | Promise | Callable[[Any], str] | None = None,
    renamed: dict[str, str] | None = None,
) -> HttpResponse | None:
    """The one way a page saves a posted form: its data to ``save`` (a service); a refusal goes
    on the form (``show_error``) and the page is shown again (None); success says so (``message``,
    or a function of what ``save`` answered) and goes to ``done`` (a URL name or path, or a
    function of the answer)."""
    if form is None or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except BusinessError as error:
        show_error(form, error, renamed=renamed)
        return None
    said = message(saved) if callable(message) else message
    messages.success(request, str(said or _("Saved.")))
    return redirect(done(saved) if callable(done) else done)


def act(
    request: HttpRequest,
    do: Callable[[], object],
    *,
    done: str,
    message: str | Promise | None = None,
) -> HttpResponse:
    """The one way a page's button that acts at once (revoke, suspend, lift) answers: a refusal
    above the page, everything it says on one line; success says so; then ``done``."""
    try:
        do()
    except BusinessError as error:
        messages.error(request, " ".join([str(error.message), *error_lines(error)]))
    else:
        messages.success(request, str(message or _("Saved.")))
    return redirect(done)
