from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpResponse, JsonResponse
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
