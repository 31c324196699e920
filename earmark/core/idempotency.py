"""Every write is safe to repeat. An API request that carries an ``Idempotency-Key`` header, or a
web form that carries its one-time ``submission_key``, is recorded with its key in the same
transaction as everything it writes. The same request sent again (a retry after the connection
dropped, a double tap, Back and submit) records nothing new and gets the first answer: the API
its first response, a form a redirect to what was saved. The same key for another request is
refused (API) or shows what was saved (forms)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from earmark.core.errors import IDEMPOTENCY_KEY_REUSED, INVALID_IDEMPOTENCY_KEY
from earmark.core.http import error_response
from earmark.core.models import RequestKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
FORM_FIELD = "submission_key"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{8,100}$")
# Answers kept for a repeat: what the request decided. Others (a sign-in or CSRF failure, a
# server error) leave no key, so that the request can be sent again once put right.
_KEPT = {200, 201, 202, 204, 400, 404, 409, 422}
_MAX_BODY = 1024 * 1024


def _scope(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("Bearer "):
        # Tokens belong to apps above core: settings name the function that reads one.
        bearer_scope = import_string(settings.EARMARK_BEARER_SCOPE)
        scope: str | None = bearer_scope(authorization.removeprefix("Bearer ").strip())
        return scope
    if not request.path.startswith("/api/") and hasattr(request, "session"):
        if request.session.session_key is None:
            request.session.save()
        return f"session:{request.session.session_key}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    multipart = request.content_type == "multipart/form-data"
    if request.path.startswith("/api/") and not multipart:
        digest.update(request.body)
        return digest.hexdigest()
    for name in sorted(request.POST):
        if name not in ("csrfmiddlewaretoken", FORM_FIELD):
            digest.update(f"{name}={request.POST.getlist(name)}\n".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITES:
            return self.get_response(request)
        api = request.path.startswith("/api/")
        key = request.META.get(HEADER, "") if api else request.POST.get(FORM_FIELD, "")
        if not key:
            return self.get_response(request)
        if not _KEY.match(key):
            if api:
                return error_response(INVALID_IDEMPOTENCY_KEY)
            return self.get_response(request)
        scope = _scope(request)
        if scope is None:
            return self.get_response(request)
        return self._once(request, api=api, scope=scope, key=key)

    def _once(self, request: HttpRequest, *, api: bool, scope: str, key: str) -> HttpResponse:
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = RequestKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
            except IntegrityError:
                earlier = RequestKey.objects.get(scope=scope, key=key)
                return self._again(request, earlier, api=api, fingerprint=fingerprint)
            response = self.get_response(request)
            if response.status_code >= 500:
                # Nothing of a failed request is kept, its key included.
                transaction.set_rollback(True)
                return response
            try:
                with transaction.atomic():
                    if self._keep(row, response, api=api):
                        _forget_old(scope)
                    else:
                        row.delete()
            except DatabaseError:
                # The request left the transaction unusable (its refusal was answered all the
                # same): nothing of it is kept.
                transaction.set_rollback(True)
            return response

    def _keep(self, row: RequestKey, response: HttpResponse, *, api: bool) -> bool:
        if getattr(response, "streaming", False):
            return False
        if api:
            if response.status_code not in _KEPT or len(response.content) > _MAX_BODY:
                return False
            row.status_code = response.status_code
            row.content_type = response.get("Content-Type", "")
            row.body = response.content
        else:
            if not 300 <= response.status_code < 400:
                return False
            row.location = response.get("Location", "")[:500]
            response["Location"] = _saved(row.location, row.key)
        row.completed = True
        row.save(update_fields=["status_code", "content_type", "body", "location", "completed"])
        return True

    def _again(
        self, request: HttpRequest, earlier: RequestKey, *, api: bool, fingerprint: str
    ) -> HttpResponse:
        if api:
            if earlier.fingerprint != fingerprint:
                return error_response(IDEMPOTENCY_KEY_REUSED)
            response = HttpResponse(
                bytes(earlier.body),
                status=earlier.status_code or 200,
                content_type=earlier.content_type or "application/json",
            )
            response["Idempotent-Replayed"] = "true"
            return response
        messages.info(request, _("This form was submitted already; nothing was saved twice."))
        return HttpResponseRedirect(
            _saved(earlier.location or request.get_full_path(), earlier.key)
        )


def _saved(location: str, key: str) -> str:
    """The page after a saved form, telling the page script (in the fragment, which never
    reaches a server) which submission it may forget."""
    return location if "#" in location else f"{location}#saved={key}"


def _forget_old(scope: str) -> None:
    hours = int(getattr(settings, "EARMARK_REQUEST_KEY_HOURS", 168))
    cutoff = timezone.now() - timedelta(hours=hours)
    RequestKey.objects.filter(scope=scope, created_at__lt=cutoff).delete()
