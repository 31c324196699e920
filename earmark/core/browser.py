"""pytest fixtures driving Debian's Chromium through Playwright, phone-sized.

Locally the browser tests skip when Chromium is missing; with CI=true they must run.
Screenshots are kept under ``test-artifacts/`` as evidence of what a user saw.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
# Without these, Chromium keeps reaching for Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true needs Chromium at {CHROMIUM} (apt-get install -y chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the tests still use the
    # ORM synchronously between browser steps, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh phone-sized page in Chinese; ``phone.shot(name)`` saves a screenshot."""
    # The service worker (and the pages it keeps after sign-in) runs only in the tests of the
    # offline app, marked ``service_worker``: elsewhere it would only slow every page down.
    workers = "allow" if request.node.get_closest_marker("service_worker") else "block"
    context = chromium.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        service_workers=workers,
    )
    page = context.new_page()
    # Anything the page's Content-Security-Policy blocked fails the test that opened it.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # So does any error thrown by the page's scripts.
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ARTIFACTS.mkdir(exist_ok=True)
    database = os.environ.get("EARMARK_TEST_DATABASE", "local").lower()

    def shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}-{database}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    page.shot = shot
    yield page
    context.close()
    assert blocked == [], blocked
    assert errors == [], errors


def sign_in(page: Any, base: str, username: str, password: str, then: str = "/") -> None:
    """Sign in through the sign-in page (its fields found by name, so in either language) and
    wait for the page it leads to."""
    page.goto(f"{base}/login/?next={then}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}{then}")


def back_online(page: Any, url: str, *, timeout: float = 15) -> None:
    """The connection comes back, then ``url`` is opened. Chromium tells its service worker a
    moment after the page, so while the worker still answers with the page for no connection,
    the page is asked for again (as a user would tap again), up to ``timeout`` seconds."""
    page.context.set_offline(False)
    deadline = time.monotonic() + timeout
    page.goto(url)
    while page.locator("[data-no-connection]").count() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        page.goto(url)
