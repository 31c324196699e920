"""The API root: ``/api/v1/``, its authentication and its one error shape.

Every error answers ``{"code": "...", "message": "<human message>", "detail": {"fields": {...},
"items": [...]}}`` (see ``core.errors.error_detail``).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.db import DataError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer
from ninja.security import SessionAuth as DjangoSessionAuth
from psycopg.errors import DeadlockDetected, LockNotAvailable, SerializationFailure

from earmark.accounts.access import require_farm_vet_route
from earmark.accounts.tokens import token_authenticate
from earmark.core.error_reach import codes_reachable
from earmark.core.errors import (
    BAD_REQUEST,
    CSRF_FAILED,
    IDEMPOTENCY_KEY_REUSED,
    INVALID_IDEMPOTENCY_KEY,
    INVALID_INPUT,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    OUT_OF_RANGE,
    PERMISSION_DENIED,
    SERVER_ERROR,
    TRY_AGAIN,
    BusinessError,
    ErrorCode,
    error_detail,
)
from earmark.core.schemas import ErrorOut, pydantic_message

logger = logging.getLogger("earmark.api")


def _contention(cause: BaseException | None) -> bool:
    """A database error that only says two writers met: PostgreSQL's deadlock, serialization
    failure or lock timeout, SQLite's locked database."""
    if isinstance(cause, DeadlockDetected | SerializationFailure | LockNotAvailable):
        return True
    return isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause)


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer em_...`` from a mobile terminal or a machine client."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        _within_reach(request, user)
        return user


class SessionAuth(DjangoSessionAuth):
    """The web session (with its CSRF token on unsafe methods), as the pages use it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            _within_reach(request, user)
        return user


def _within_reach(request: HttpRequest, user: Any) -> None:
    """A farm's own veterinarian reaches only the operations of his immunization form."""
    match = request.resolver_match
    require_farm_vet_route(user, match.url_name if match else None)


class EarmarkAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's own name (``declarations_accept``): short, stable, unique (a test checks),
        and what a generated client names its function."""
        return operation.view_func.__name__


api = EarmarkAPI(
    title="Earmark API",
    version="1",
    description=(
        "Ear-tag traceability and origin quarantine. Sign in on the web (session cookie and "
        "CSRF token) or send `Authorization: Bearer <token>` from a terminal."
    ),
    # The web session also needs the CSRF token on unsafe methods, as the web pages do.
    auth=[BearerTokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url=None,
)


def _error(
    request: HttpRequest,
    code: ErrorCode,
    message: str | None = None,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": code.code,
            "message": message or str(code.message),
            "detail": error_detail(fields),
        },
        status=code.status,
    )


@api.exception_handler(BusinessError)
def _business_error(request: HttpRequest, exc: BusinessError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, NOT_AUTHENTICATED)


@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", []))
        fields.setdefault(name, []).append(pydantic_message(error))
    return _error(request, INVALID_INPUT, fields=fields)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, NOT_FOUND)


@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return _error(request, PERMISSION_DENIED)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RequestDataTooBig)
@api.exception_handler(UnreadablePostError)
def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, BAD_REQUEST)


@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (too long, too large) that no rule caught first."""
    logger.warning("value out of range at %s %s: %s", request.method, request.path, exc)
    return _error(request, OUT_OF_RANGE)


@api.exception_handler(OperationalError)
def _contended(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """Two transactions that each waited for the other (the database broke the tie) or a lock
    not granted in time: nothing was saved, and the same request may simply be sent again."""
    if not _contention(exc.__cause__):
        return _server_error(request, exc)
    logger.warning("contention at %s %s: %s", request.method, request.path, exc)
    return _error(request, TRY_AGAIN)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen is logged with its traceback and answered in the one error shape,
    whatever DEBUG says: a client never meets an HTML page."""
    logger.exception("API error at %s %s", request.method, request.path, exc_info=exc)
    got_request_exception.send(sender=None, request=request)
    return _error(request, SERVER_ERROR)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals: a session write without its CSRF token (403), a body that
    is not JSON (400)."""
    return _error(request, CSRF_FAILED if exc.status_code == 403 else BAD_REQUEST)


# Every app's routers, in the order their paths are matched (each declares its full paths).
ROUTERS = (
    "earmark.accounts.api.router",
    "earmark.regions.api.router",
    "earmark.farms.api.router",
    "earmark.farms.api.restrictions_router",
    "earmark.farms.api.vehicles_router",
    "earmark.farms.api.dealers_router",
    "earmark.farms.api.checkpoints_router",
    "earmark.farms.api.farm_router",
    "earmark.quarantine.api.farm_router",
    "earmark.immunization.api.tag_router",
    "earmark.eartags.api.router",
    "earmark.eartags.api.makers_router",
    "earmark.eartags.api.pliers_router",
    "earmark.immunization.api.router",
    "earmark.immunization.api.species_router",
    "earmark.quarantine.api.router",
    "earmark.movements.api.router",
    "earmark.movements.api_stock.stock_router",
    "earmark.stocktakes.api.router",
    "earmark.slaughter.api.router",
    "earmark.trace.api.router",
    "earmark.trace.api.investigations_router",
    "earmark.rollout.api.router",
    "earmark.rollout.api.bulletins_router",
    "earmark.rollout.api.supervision_router",
    "earmark.exchange.api.router",
    "earmark.exchange.api_trust.router",
)
for _router in ROUTERS:
    api.add_router("/", import_string(_router))


# What any operation may answer, whatever it does: malformed input, a value the database could
# not keep; and, where a sign-in is needed, none, a role the operation refuses (a farm's vet
# beyond his form).
_ANY = (INVALID_INPUT, OUT_OF_RANGE)
_SIGNED_IN = (NOT_AUTHENTICATED, PERMISSION_DENIED)
# What any write may answer: a session without its CSRF token, a body that cannot be read, an
# Idempotency-Key reused or malformed, two writers at once.
_WRITES = (BAD_REQUEST, CSRF_FAILED, IDEMPOTENCY_KEY_REUSED, INVALID_IDEMPOTENCY_KEY, TRY_AGAIN)


def operation_errors(operation: Operation) -> list[ErrorCode]:
    """Every error code the operation can answer: those of the API itself, and every refusal
    its view reaches (see ``core.error_reach``)."""
    codes = set(_ANY) | codes_reachable(operation.view_func)
    if operation.auth_param is not None:
        codes |= set(_SIGNED_IN)
    if set(operation.methods) - {"GET", "HEAD", "OPTIONS"}:
        codes |= set(_WRITES)
    if "{" in operation.path:
        codes.add(NOT_FOUND)
    return sorted(codes, key=lambda code: (code.status, code.code))


def _document_errors() -> None:
    """Every operation documents each error it can answer, by status, in the one error shape:
    its codes are listed under each status (``x-error-codes`` and the description)."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                by_status: dict[int, list[ErrorCode]] = {}
                for code in operation_errors(operation):
                    by_status.setdefault(code.status, []).append(code)
                responses: dict[int, dict[str, object]] = {}
                for status, codes in by_status.items():
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(
                            ErrorOut
                        )
                    responses[status] = {
                        "description": "; ".join(f"`{c.code}`: {c.meaning}" for c in codes),
                        "x-error-codes": [c.code for c in codes],
                    }
                extra = dict(operation.openapi_extra or {})
                extra["responses"] = responses
                operation.openapi_extra = extra


_document_errors()
