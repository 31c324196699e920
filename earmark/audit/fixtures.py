"""pytest fixtures keeping the append-only triggers in place between tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from earmark.core import append_only


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _append_only_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends by emptying every table, which the triggers would refuse;
    they are lifted for that and put back before the next database test."""
    if _transactional(request):
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        yield
        return
    for table in append_only.TABLES:
        if not append_only.installed(connection, table):
            append_only.install(connection, table)
    yield
    if _transactional(request):
        for table in append_only.TABLES:
            append_only.remove(connection, table)


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings: Any, tmp_path: Path) -> None:
    """Each test keeps its own checkpoint file (the audit key is the installation's)."""
    settings.EARMARK_AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints.jsonl"
