"""Production settings: the deployment check is clean, every page carries a Content-Security-
Policy with no inline script, and the API answers even its own failures in the error shape."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import Client

from earmark.accounts.models import User
from earmark.core.testing import client_for

ROOT = Path(__file__).resolve().parents[3]


def test_the_deployment_check_is_clean_with_debug_off_behind_https() -> None:
    # As deployed: without what the browser tests set for themselves.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DEBUG="0", HTTPS="1")
    done = subprocess.run(
        [sys.executable, "-m", "earmark", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_pages_carry_a_policy_without_inline_script(county_officer: User) -> None:
    page = client_for(county_officer).get("/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    html = page.content.decode()
    assert "<script>" not in html and " onclick=" not in html and " onsubmit=" not in html


def test_an_api_failure_is_answered_in_the_error_shape(
    county_officer: User, monkeypatch: Any
) -> None:
    from earmark.accounts import api as accounts_api

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(accounts_api.selectors, "agency_list", broken)
    client = Client(raise_request_exception=False)
    client.force_login(county_officer)
    answer = client.get("/api/v1/agencies")
    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json() == {
        "code": "server_error",
        "message": "服务器出现错误。",
        "detail": {"fields": {}, "items": []},
    }
    unknown = client.get("/api/v1/no-such-thing")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
