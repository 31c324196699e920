"""The one error type for business failures, rendered the same way in the API and the web, and
the registry of every error code a client can meet.

Each refusal has its own stable code, defined once as an ``ErrorCode`` in its app's
``errors.py`` with its HTTP status, its message (translated: Chinese by default, English) and a
one-line meaning; ``docs/api.md`` lists them all (``earmark error_codes``). The status says what
kind of failure it is, everywhere:

- 400 the request is malformed (a field missing, too long, of the wrong shape);
- 401 no sign-in; 403 the roles do not allow it; 404 absent or outside the jurisdiction;
- 409 the request clashes with the current state (done already, taken, changed meanwhile);
- 422 a business rule refuses it (the request is well formed, the domain says no).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Texts = str | Promise | Sequence[str | Promise]

# The statuses a code may carry, with what each means to a client.
STATUSES = {
    400: "malformed request",
    401: "not signed in",
    403: "not allowed",
    404: "absent or outside the jurisdiction",
    409: "conflicts with the current state",
    422: "refused by a business rule",
    429: "too many attempts",
    500: "server error",
}
_CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
_REGISTRY: dict[str, ErrorCode] = {}


@dataclass(frozen=True, eq=False)
class ErrorCode:
    """A registered error: ``code`` for programs, ``message`` for people, ``meaning`` for the
    reference (one line, in English), ``module`` where it is defined."""

    code: str
    status: int
    message: Promise
    meaning: str
    module: str

    def __str__(self) -> str:
        return self.code

    # A code is its name: it equals, hashes and sorts as the text a client reads.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, ErrorCode):
            return self.code == other.code
        return isinstance(other, str) and self.code == other

    def __hash__(self) -> int:
        return hash(self.code)

    def __lt__(self, other: object) -> bool:
        return self.code < str(other)

    def __gt__(self, other: object) -> bool:
        return self.code > str(other)


def error_code(code: str, status: int, message: Promise, meaning: str) -> ErrorCode:
    """Register ``code``; a code is defined once, in lower snake case, with a known status."""
    return _define(code, status, message, meaning)


def _define(code: str, status: int, message: Promise, meaning: str) -> ErrorCode:
    if not _CODE.fullmatch(code):
        raise ValueError(f"error code {code!r} is not lower snake case")
    if status not in STATUSES:
        raise ValueError(f"error code {code!r}: status {status} is not one of {sorted(STATUSES)}")
    if code in _REGISTRY:
        raise ValueError(f"error code {code!r} is defined twice")
    # The module that defines it: two calls up (its helper, then the module itself).
    module = str(sys._getframe(2).f_globals.get("__name__", ""))
    entry = ErrorCode(code, status, message, meaning.strip(), module)
    _REGISTRY[code] = entry
    return entry


def malformed(code: str, message: Promise, meaning: str) -> ErrorCode:
    """400: the request itself is wrong in form."""
    return _define(code, 400, message, meaning)


def forbidden(code: str, message: Promise, meaning: str) -> ErrorCode:
    """403: the user's roles or place do not allow this."""
    return _define(code, 403, message, meaning)


def absent(code: str, message: Promise, meaning: str) -> ErrorCode:
    """404: nothing of that name here (or not in the user's jurisdiction)."""
    return _define(code, 404, message, meaning)


def conflict(code: str, message: Promise, meaning: str) -> ErrorCode:
    """409: the current state does not allow it (already done, taken, changed meanwhile)."""
    return _define(code, 409, message, meaning)


def refused(code: str, message: Promise, meaning: str) -> ErrorCode:
    """422: well formed, but a rule of the domain refuses it."""
    return _define(code, 422, message, meaning)


def registered() -> list[ErrorCode]:
    """Every code of every app: each app's ``errors`` module is imported first, the way Django
    finds its apps' ``admin`` modules."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("errors")
    return sorted(_REGISTRY.values(), key=lambda entry: (entry.module, entry.code))


def lookup(code: str) -> ErrorCode:
    return _REGISTRY[code]


# The codes of the API itself, whatever the operation.
INVALID_INPUT = malformed(
    "invalid_input",
    _("Some fields are missing or invalid."),
    "A field is missing, too long, of the wrong type or shape; `detail.fields` names each.",
)
BAD_REQUEST = malformed(
    "bad_request",
    _("The request could not be read (a form or a file)."),
    "The body could not be read at all (a broken form, an upload cut short, too large).",
)
OUT_OF_RANGE = malformed(
    "out_of_range",
    _("A value is too long or too large to be kept."),
    "A value the database could not keep, which no rule caught first.",
)
FILE_TOO_LARGE = malformed(
    "file_too_large",
    _("The file is too large."),
    "An uploaded file, or the workbook unpacked, is over the size an import takes.",
)
NOT_A_WORKBOOK = malformed(
    "not_a_workbook",
    _("The file is not an Excel workbook (.xlsx)."),
    "An upload that should be an .xlsx workbook could not be opened as one.",
)
EMPTY_FILE = malformed(
    "empty_file",
    _("The file is empty."),
    "An uploaded file without a single row to read.",
)
UNREADABLE_TEXT = malformed(
    "unreadable_text",
    _("The file's text encoding is not UTF-8 or GB 18030."),
    "A CSV file in an encoding the import does not read.",
)
TOO_MANY_ROWS = malformed(
    "too_many_rows",
    _("The file holds too many rows."),
    "An import file over the number of rows one import takes; split it.",
)
MISSING_COLUMNS = malformed(
    "missing_columns",
    _("The file lacks required columns."),
    "An import file without a column the import needs; the message names them.",
)
ROWS_REFUSED = refused(
    "rows_refused",
    _("Some rows have problems; nothing was saved."),
    "An all-or-nothing import or list of rows refused: `detail.items` lists each faulty row "
    "and its problems.",
)
NOTHING_GIVEN = malformed(
    "nothing_given",
    _("The request names nothing to work on."),
    "No tag numbers, rows, boxes or count where at least one is needed.",
)
TOO_MANY_ITEMS = malformed(
    "too_many_items",
    _("Too many entries in one request."),
    "More entries (serials, evidence records, rows) than one request takes; the message says "
    "how many.",
)
ALREADY_REVOKED = conflict(
    "already_revoked",
    _("This is revoked already."),
    "Revoking what is revoked (a designation, an approval, a certificate, a vaccine).",
)
NOT_AUTHENTICATED = error_code(
    "not_authenticated",
    401,
    _("Sign in or send a valid API token."),
    "No session and no valid bearer token.",
)
PERMISSION_DENIED = forbidden(
    "permission_denied",
    _("You do not have permission to do this."),
    "The object is yours to see, but your roles do not allow this action.",
)
CSRF_FAILED = forbidden(
    "csrf_failed",
    _("The page's security token is missing or out of date; reload the page."),
    "A write with the session cookie but without the CSRF token.",
)
NOT_FOUND = absent(
    "not_found",
    _("Not found."),
    "The object does not exist, or lies outside your jurisdiction (both answer alike).",
)
INVALID_IDEMPOTENCY_KEY = malformed(
    "invalid_idempotency_key",
    _("An Idempotency-Key is 8 to 100 letters, digits or - _ . :"),
    "An `Idempotency-Key` header of the wrong shape.",
)
IDEMPOTENCY_KEY_REUSED = conflict(
    "idempotency_key_reused",
    _("This Idempotency-Key was used for another request."),
    "An `Idempotency-Key` sent before with a different request.",
)
TRY_AGAIN = conflict(
    "try_again",
    _(
        "Another change to the same records was saved at the same moment; nothing was saved. "
        "Send it again."
    ),
    "Two writers met on the same records; nothing was saved and the request may be repeated.",
)
SERVER_ERROR = error_code(
    "server_error",
    500,
    _("Something went wrong on the server."),
    "An unforeseen failure, logged with its traceback; nothing was saved.",
)


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
    """A refusal with a registered ``code``; ``message`` (the code's own when not given) is
    shown to the user, ``fields`` and ``items`` say what to correct (see ``error_detail``)."""

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: ErrorCode,
        fields: Mapping[str, Texts] | None = None,
        items: Sequence[dict[str, Any]] = (),
    ) -> None:
        if not isinstance(code, ErrorCode):
            raise TypeError(f"BusinessError needs a registered ErrorCode, not {code!r}")
        self.message = code.message if message is None else message
        super().__init__(str(self.message))
        self.code = code
        self.detail = error_detail(fields, items)

    @property
    def status(self) -> int:
        return self.code.status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.code, "message": str(self.message), "detail": self.detail}


class NotFound(BusinessError):
    """The object does not exist, or lies outside the user's jurisdiction.

    Both cases answer the same way so that a user cannot learn what another county holds.
    """

    def __init__(
        self, message: str | Promise | None = None, *, code: ErrorCode = NOT_FOUND, **kwargs: Any
    ) -> None:
        super().__init__(message, code=code, **kwargs)


class PermissionDenied(BusinessError):
    """The user may see the object but their roles do not allow this action."""

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: ErrorCode = PERMISSION_DENIED,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, code=code, **kwargs)


def invalid(message: str | Promise, fields: Mapping[str, Texts]) -> BusinessError:
    """Fields a service found malformed (missing, too long, of the wrong shape): 400
    ``invalid_input``, like the boundary's own checks, each problem beside its field."""
    return BusinessError(message, code=INVALID_INPUT, fields=fields)
