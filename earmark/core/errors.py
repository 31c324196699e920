"""The one error type for business failures, rendered the same way in the API and the web."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Texts = str | Promise | Sequence[str | Promise]


def item(ref: object, problems: Texts, *, field: str = "", count: int = 0) -> dict[str, Any]:
    """One entry of ``detail.items``: the problems of one tag range, row or entry.

    ``ref`` names it as the user wrote or sees it (a tag range, a line number; empty for a
    problem of the request as a whole), ``field`` the column or input it came from, ``count``
    the tags in a range (0 when ``ref`` is not one)."""
    return {"ref": str(ref), "field": field, "count": count, "problems": _texts(problems)}


def _texts(value: Texts) -> list[str]:
    if isinstance(value, str | Promise):
        return [str(value)]
    return [str(v) for v in value]


def error_detail(
    fields: Mapping[str, Texts] | None = None, items: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The one shape of every error's ``detail``: ``{"fields": {name: [message, ...]},
    "items": [{"ref", "field", "count", "problems": [message, ...]}]}``."""
    return {
        "fields": {name: _texts(texts) for name, texts in (fields or {}).items()},
        "items": list(items),
    }


class BusinessError(Exception):
    """A rule of the domain refused the request; ``message`` is shown to the user, ``fields``
    and ``items`` say what to correct (see ``error_detail``)."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        fields: Mapping[str, Texts] | None = None,
        items: Sequence[dict[str, Any]] = (),
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.detail = error_detail(fields, items)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "detail": self.detail}


class NotFound(BusinessError):
    """The object does not exist, or lies outside the user's jurisdiction.

    Both cases answer the same way so that a user cannot learn what another county holds.
    """

    status = 404
    default_code = "not_found"

    def __init__(self, message: str | Promise | None = None, **kwargs: Any) -> None:
        super().__init__(message or _("Not found."), **kwargs)


class PermissionDenied(BusinessError):
    """The user may see the object but their roles do not allow this action."""

    status = 403
    default_code = "permission_denied"

    def __init__(self, message: str | Promise | None = None, **kwargs: Any) -> None:
        super().__init__(message or _("You do not have permission to do this."), **kwargs)


class Conflict(BusinessError):
    """The request clashes with the current state (a duplicate, a concurrent change)."""

    status = 409
    default_code = "conflict"
