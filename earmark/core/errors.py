"""The one error type for business failures, rendered the same way in the API and the web."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class BusinessError(Exception):
    """A rule of the domain refused the request; ``message`` is shown to the user."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.detail = detail or {}

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
