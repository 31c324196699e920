"""A pytest plugin that holds the error registry to account over a whole run of the suite.

It watches every refusal the suite meets (each ``BusinessError`` made, each error answered over
HTTP, with the API operation that answered it) and, when the run ends, fails it if

- an operation answered a code its OpenAPI document does not list (``x-error-codes``), or,
- after a run of the whole suite, a registered code was never met: a refusal nobody tests.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

_met: set[str] = set()
_answered: dict[str, set[str]] = defaultdict(set)
_operations: dict[str, Any] = {}


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.core.handlers.base import BaseHandler
    from ninja.operation import Operation

    from earmark.core import errors

    made = errors.BusinessError.__init__

    def watched_init(self: errors.BusinessError, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        _met.add(self.code.code)

    errors.BusinessError.__init__ = watched_init  # type: ignore[method-assign]

    run = Operation.run

    def watched_run(self: Operation, request: Any, **kw: Any) -> Any:
        request.earmark_operation = self
        return run(self, request, **kw)

    Operation.run = watched_run  # type: ignore[method-assign]

    respond = BaseHandler.get_response

    def watched_response(self: BaseHandler, request: Any) -> Any:
        response = respond(self, request)
        _note(request, response)
        return response

    BaseHandler.get_response = watched_response  # type: ignore[method-assign]


def _note(request: Any, response: Any) -> None:
    if response.status_code < 400 or "json" not in response.get("Content-Type", ""):
        return
    try:
        code = json.loads(response.content).get("code")
    except (ValueError, AttributeError):
        return
    if not isinstance(code, str):
        return
    _met.add(code)
    operation = getattr(request, "earmark_operation", None)
    if operation is not None:
        from earmark.api import api

        name = api.get_openapi_operation_id(operation)
        _operations[name] = operation
        _answered[name].add(code)


def _whole_suite(session: pytest.Session) -> bool:
    option = session.config.option
    return (
        not option.keyword
        and not option.markexpr
        and not getattr(option, "lf", False)
        and session.testsfailed == 0
        and all(
            arg.rstrip("/") in ("earmark", str(session.config.rootpath / "earmark"))
            for arg in session.config.args
        )
    )


def registry_problems(
    *,
    answered: dict[str, set[str]],
    documented: dict[str, set[str]],
    met: set[str],
    whole_suite: bool,
) -> list[str]:
    """What the run found wrong: codes answered beyond an operation's document, and (after the
    whole suite) registered codes that no test met."""
    from earmark.core.errors import registered

    problems = []
    for name, codes in sorted(answered.items()):
        # A server error is a fault, never a documented answer (schemathesis hunts them).
        for code in sorted(codes - documented[name] - {"server_error"}):
            problems.append(f"{name} answered {code}, which its document does not list")
    if whole_suite:
        for entry in registered():
            if entry.code not in met:
                problems.append(f"{entry.code} ({entry.module}) was never met by a test")
    return problems


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from earmark.api import operation_errors

    problems = registry_problems(
        answered=_answered,
        documented={
            name: {code.code for code in operation_errors(operation)}
            for name, operation in _operations.items()
        },
        met=_met,
        whole_suite=_whole_suite(session),
    )
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.section("error registry")
            for problem in problems:
                reporter.line(problem)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
