"""pytest fixtures keeping the audit log's append-only triggers in place between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from earmark.audit import triggers


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _audit_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends by emptying every table, which the triggers would refuse;
    they are lifted for that and put back before the next database test."""
    if _transactional(request):
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        yield
        return
    if not triggers.installed(connection):
        triggers.install(connection)
    yield
    if _transactional(request):
        triggers.remove(connection)
