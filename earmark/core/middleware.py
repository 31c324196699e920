from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from earmark.core.errors import BusinessError
from earmark.core.views import error_page


class BusinessErrorMiddleware:
    """Render a business failure raised by a web view as a page with its message and status.

    The API renders the same errors as JSON through its own exception handlers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BusinessError):
            return error_page(request, status=exception.status, message=str(exception.message))
        return None
