"""Helpers for tests: every endpoint and page is tried with no user and with another county's."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from earmark.accounts.models import User


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def call(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    """Send JSON for API calls, form data for pages."""
    send = getattr(client, method.lower())
    if data is None:
        return send(url, **extra)
    if url.startswith("/api/"):
        return send(url, data=json.dumps(data), content_type="application/json", **extra)
    return send(url, data=data, **extra)


def assert_guarded(
    method: str,
    url: str,
    *,
    outsider: User,
    data: Any = None,
    outsider_status: int = 404,
) -> None:
    """No user is refused (401 in the API, sign-in page on the web); a user of another
    jurisdiction gets ``outsider_status`` and learns nothing of the object.

    Call it before the owner's own call in a test, since it must not change anything.
    """
    anonymous = call(client_for(None), method, url, data)
    if url.startswith("/api/"):
        assert anonymous.status_code == 401, (url, anonymous.status_code)
        assert anonymous.json()["code"] == "not_authenticated"
    else:
        assert anonymous.status_code == 302, (url, anonymous.status_code)
        assert anonymous["Location"].startswith("/login/"), anonymous["Location"]
    foreign = call(client_for(outsider), method, url, data)
    assert foreign.status_code == outsider_status, (url, foreign.status_code)
    if url.startswith("/api/") and outsider_status >= 400:
        body = foreign.json()
        assert set(body) == {"code", "message", "detail"}, body
