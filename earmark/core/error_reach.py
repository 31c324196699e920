"""Which registered error codes a function can answer: every ``ErrorCode`` that its code, and
the code of every function of the project it calls, names.

Read from the compiled functions themselves (the names each one uses, resolved in its module),
so that a new refusal deep in a service shows up in the API document of every operation that
reaches it without anyone listing it by hand. It errs on the side of listing: a code named on
a path the operation never takes is listed too, never the other way round (the test suite
checks every code an operation answers against this list).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Iterable
from typing import Any

from earmark.core.errors import ErrorCode

_PROJECT = "earmark."


def codes_reachable(*roots: Any) -> set[ErrorCode]:
    """The error codes named by ``roots`` (functions or classes) and all they call."""
    walk = _Walk()
    for root in roots:
        walk.visit(root)
    return walk.found


class _Walk:
    def __init__(self) -> None:
        self.found: set[ErrorCode] = set()
        self._seen: set[int] = set()

    def visit(self, target: Any) -> None:
        if isinstance(target, ErrorCode):
            self.found.add(target)
            return
        if id(target) in self._seen or not self._ours(target):
            return
        self._seen.add(id(target))
        if isinstance(target, types.FunctionType):
            self._function(target)
        elif isinstance(target, type):
            for value in vars(target).values():
                self.visit(_function_of(value))
        elif isinstance(target, types.MethodType):
            self.visit(target.__func__)

    def _ours(self, target: Any) -> bool:
        if isinstance(target, types.MethodType):
            target = target.__func__
        module = getattr(target, "__module__", None) or ""
        return isinstance(target, types.FunctionType | type) and module.startswith(_PROJECT)

    def _function(self, function: types.FunctionType) -> None:
        for value in (*(function.__defaults__ or ()), *(function.__kwdefaults__ or {}).values()):
            self.visit(value)
        for cell in function.__closure__ or ():
            try:
                self.visit(cell.cell_contents)
            except ValueError:  # an empty cell
                continue
        wrapped = getattr(function, "__wrapped__", None)
        if wrapped is not None:
            self.visit(wrapped)
        self._code(function.__code__, function.__globals__)

    def _code(self, code: types.CodeType, scope: dict[str, Any]) -> None:
        names = set(code.co_names)
        modules: list[types.ModuleType] = []
        for name in names:
            value = scope.get(name)
            if isinstance(value, types.ModuleType):
                modules.append(value)
            else:
                self.visit(value)
        # ``from x import y`` inside a function, and ``module.attribute``.
        for module_name in _imported_modules(code):
            imported = _module(module_name)
            if imported is not None:
                modules.append(imported)
        for module in modules:
            if module.__name__.startswith(_PROJECT):
                for name in names:
                    self.visit(getattr(module, name, None))
        for constant in code.co_consts:
            if isinstance(constant, types.CodeType):
                self._code(constant, scope)


def _function_of(value: Any) -> Any:
    if isinstance(value, staticmethod | classmethod):
        return value.__func__
    if isinstance(value, property):
        return value.fget
    return value


def _imported_modules(code: types.CodeType) -> Iterable[str]:
    """The modules an ``import`` inside the function names."""
    import dis

    for instruction in dis.get_instructions(code):
        if instruction.opname == "IMPORT_NAME" and isinstance(instruction.argval, str):
            yield instruction.argval


def _module(name: str) -> types.ModuleType | None:
    import sys

    module = sys.modules.get(name)
    return module if inspect.ismodule(module) else None
