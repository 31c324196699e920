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
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.security import HttpBearer
from ninja.security import SessionAuth as DjangoSessionAuth
from psycopg.errors import DeadlockDetected, LockNotAvailable, SerializationFailure

from earmark.accounts.access import require_farm_vet_route
from earmark.accounts.tokens import token_authenticate
from earmark.core.errors import BusinessError, error_detail
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
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    return api.create_response(
        request,
        {"code": code, "message": message, "detail": error_detail(fields)},
        status=status,
    )


@api.exception_handler(BusinessError)
def _business_error(request: HttpRequest, exc: BusinessError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", _("Sign in or send a valid API token."))


@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", []))
        fields.setdefault(name, []).append(pydantic_message(error))
    return _error(request, 422, "invalid_input", _("Some fields are missing or invalid."), fields)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return _error(request, 403, "permission_denied", _("You do not have permission to do this."))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RequestDataTooBig)
@api.exception_handler(UnreadablePostError)
def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(
        request, 400, "bad_request", _("The request could not be read (a form or a file).")
    )


@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (too long, too large) that no rule caught first."""
    logger.warning("value out of range at %s %s: %s", request.method, request.path, exc)
    return _error(request, 400, "out_of_range", _("A value is too long or too large to be kept."))


@api.exception_handler(OperationalError)
def _contended(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """Two transactions that each waited for the other (the database broke the tie) or a lock
    not granted in time: nothing was saved, and the same request may simply be sent again."""
    if not _contention(exc.__cause__):
        return _server_error(request, exc)
    logger.warning("contention at %s %s: %s", request.method, request.path, exc)
    return _error(
        request,
        409,
        "try_again",
        _(
            "Another change to the same records was saved at the same moment; nothing was saved. "
            "Send it again."
        ),
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen is logged with its traceback and answered in the one error shape,
    whatever DEBUG says: a client never meets an HTML page."""
    logger.exception("API error at %s %s", request.method, request.path, exc_info=exc)
    got_request_exception.send(sender=None, request=request)
    return _error(request, 500, "server_error", _("Something went wrong on the server."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "csrf_failed" if exc.status_code == 403 else "error"
    return _error(request, exc.status_code, code, str(exc))


def _register_routers() -> None:
    from earmark.accounts.api import router as accounts_router
    from earmark.eartags.api import makers_router, pliers_router
    from earmark.eartags.api import router as eartags_router
    from earmark.exchange.api import router as exchange_router
    from earmark.farms.api import (
        checkpoints_router,
        dealers_router,
        farm_router,
        restrictions_router,
        vehicles_router,
    )
    from earmark.farms.api import router as farms_router
    from earmark.immunization.api import router as immunization_router
    from earmark.immunization.api import species_router, tag_router
    from earmark.movements.api import router as movements_router
    from earmark.quarantine.api import farm_router as farm_quarantine_router
    from earmark.quarantine.api import router as quarantine_router
    from earmark.regions.api import router as regions_router
    from earmark.rollout.api import router as rollout_router
    from earmark.trace.api import investigations_router
    from earmark.trace.api import router as trace_router

    api.add_router("/", accounts_router)
    api.add_router("/regions", regions_router)
    api.add_router("/premises", farms_router)
    api.add_router("/restrictions", restrictions_router)
    api.add_router("/vehicles", vehicles_router)
    api.add_router("/dealers", dealers_router)
    api.add_router("/checkpoints", checkpoints_router)
    api.add_router("/farm", farm_router)
    api.add_router("/farm", farm_quarantine_router)
    api.add_router("/tags", tag_router)
    api.add_router("/tags", eartags_router)
    api.add_router("/", makers_router)
    api.add_router("/pliers", pliers_router)
    api.add_router("/", immunization_router)
    api.add_router("/species", species_router)
    api.add_router("/", quarantine_router)
    api.add_router("/", movements_router)
    api.add_router("/trace", trace_router)
    api.add_router("/", investigations_router)
    api.add_router("/", rollout_router)
    api.add_router("/exchange", exchange_router)


_register_routers()


def _document_errors() -> None:
    """Every operation documents the errors it can answer, in the one error shape: a business
    refusal (400), no sign-in (401, where one is needed), a role or a CSRF token missing (403),
    not found or outside the jurisdiction (404), a clash (409), malformed input (422)."""
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                statuses = [400, 403, 404, 409, 422]
                if operation.auth_param is not None:
                    statuses.append(401)
                for status in statuses:
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(
                            ErrorOut
                        )


_document_errors()
