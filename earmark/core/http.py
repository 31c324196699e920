from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise

from earmark.core.errors import ErrorCode, Texts, error_detail

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    """A file download (workbook, PDF, image) under the given file name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def error_response(
    code: ErrorCode, message: str | Promise | None = None, fields: Mapping[str, Texts] | None = None
) -> JsonResponse:
    """An error in the API's one shape, for answers given outside django-ninja (middleware,
    the API's catch-all address)."""
    return JsonResponse(
        {
            "code": code.code,
            "message": str(code.message if message is None else message),
            "detail": error_detail(fields),
        },
        status=code.status,
        json_dumps_params={"ensure_ascii": False},
    )


def client_address(request: HttpRequest) -> str:
    """The address the request came from: the connection's, or, when the connection is from a
    proxy the deployment names (``TRUSTED_PROXIES``), the last address of X-Forwarded-For that
    is not one of its proxies. A header from anyone else is not believed."""
    address = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if address not in trusted:
        return address
    forwarded = [_address(a) for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([a for a in forwarded if a]):
        if hop not in trusted:
            return hop
    return address


def _address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return ""
