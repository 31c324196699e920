"""pytest fixtures for the exchange with the national platform."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from earmark.exchange.simulator import Platform, serve

# What the test platform takes events with (a test value, not a secret).
PLATFORM_TOKEN = "test-platform-token"  # noqa: S105


@pytest.fixture
def platform(settings: Any) -> Iterator[Platform]:
    """The simulator on a free port, taking events only with its token; the worker retries at
    once (no backoff) in tests."""
    simulated = Platform(token=PLATFORM_TOKEN)
    server = serve(simulated, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EARMARK_NATIONAL_URL = f"http://127.0.0.1:{server.server_port}"
    settings.EARMARK_NATIONAL_TOKEN = PLATFORM_TOKEN
    settings.EARMARK_EXCHANGE_BACKOFF = 0
    settings.EARMARK_EXCHANGE_BATCH = 7
    yield simulated
    server.shutdown()
    server.server_close()
