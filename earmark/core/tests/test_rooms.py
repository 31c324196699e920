"""Rooms a person can hold: no module of the code passes 400 lines (one that grows is split
into a package, a module per concept), and no view or API function passes 30 (it parses,
calls one service or selector, and answers; the rest goes to helpers and services)."""

from __future__ import annotations

import ast
from pathlib import Path

import earmark

ROOT = Path(earmark.__file__).parent
LONGEST_MODULE = 400
LONGEST_VIEW = 30


def _code(root: Path) -> list[Path]:
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(root).parts)
    ]


def long_modules(root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}: {count} lines"
        for path in _code(root)
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE
    ]


def _is_view_or_api(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return path.name in ("views.py", "api.py") or any(p in ("views", "api") for p in parts[:-1])


def long_views(root: Path = ROOT) -> list[str]:
    found = []
    for path in _code(root):
        if not _is_view_or_api(path, root):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > LONGEST_VIEW:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}: {length}")
    return found


def test_no_module_passes_400_lines() -> None:
    assert long_modules() == []


def test_no_view_or_api_function_passes_30_lines() -> None:
    assert long_views() == []


def test_the_checks_see_a_long_module_and_a_long_view(tmp_path: Path) -> None:
    (tmp_path / "farms" / "views").mkdir(parents=True)
    (tmp_path / "farms" / "models.py").write_text("x = 1\n" * 401)
    body = "".join(f"    a{n} = {n}\n" for n in range(30))
    (tmp_path / "farms" / "views" / "premises.py").write_text(f"def page(request):\n{body}")
    (tmp_path / "farms" / "services.py").write_text(f"def write():\n{body}")
    assert long_modules(tmp_path) == ["farms/models.py: 401 lines"]
    assert long_views(tmp_path) == ["farms/views/premises.py:1 page: 31"]
