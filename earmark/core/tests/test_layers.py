"""Dependencies run one way (DESIGN §9): a lower app never imports a higher one. Tests and
migrations may reach up (a test builds its scene with any service); every other module may not,
not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import earmark

ROOT = Path(earmark.__file__).parent

# Low to high. The audit log and the outbox sit low, beside core; the supervision (rollout), the
# exchange's worker and exports, and the web layer that gathers several apps are on top.
LAYERS: list[set[str]] = [
    {"core"},
    {"audit"},
    {"regions"},
    {"accounts"},
    {"farms"},
    {"eartags"},
    {"immunization"},
    {"quarantine"},
    {"movements"},
    {"trace"},
    {"rollout", "exchange"},
    {"web"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _apps() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/apps.py")}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return found


def upward_imports(root: Path = ROOT) -> list[str]:
    """Every import of a module of a higher app (or of another app of the same layer)."""
    problems = []
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root)
        app = relative.parts[0]
        if app not in RANK or {"tests", "migrations"} & set(relative.parts):
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "earmark" or len(parts) < 2 or parts[1] == app:
                continue
            other = parts[1]
            if other in RANK and RANK[other] >= RANK[app]:
                problems.append(f"{relative}:{line} imports {module}")
    return problems


def test_every_app_has_its_place_in_the_layers() -> None:
    assert _apps() == set(RANK)


def test_no_app_imports_a_higher_one() -> None:
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    (tmp_path / "eartags" / "services").mkdir(parents=True)
    (tmp_path / "eartags" / "services" / "usage.py").write_text(
        "def f():\n    from earmark.quarantine.models import Certificate\n"
    )
    (tmp_path / "eartags" / "tests").mkdir()
    (tmp_path / "eartags" / "tests" / "test_x.py").write_text("import earmark.movements.models\n")
    assert upward_imports(tmp_path) == [
        "eartags/services/usage.py:2 imports earmark.quarantine.models"
    ]


def reads_importing_writes(root: Path = ROOT) -> list[str]:
    """Every selectors module (the reads) that imports a services module (the writes)."""
    problems = []
    for path in sorted(root.glob("*/selectors*/**/*.py")) + sorted(root.glob("*/selectors.py")):
        relative = path.relative_to(root)
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] == "earmark" and "services" in parts[2:3]:
                problems.append(f"{relative}:{line} imports {module}")
    return problems


def test_reads_never_import_writes() -> None:
    assert reads_importing_writes() == []


def test_the_check_sees_a_read_importing_a_write(tmp_path: Path) -> None:
    (tmp_path / "trace" / "selectors").mkdir(parents=True)
    (tmp_path / "trace" / "selectors" / "traces.py").write_text(
        "from earmark.trace.services import investigation_open\n"
    )
    (tmp_path / "farms").mkdir()
    (tmp_path / "farms" / "selectors.py").write_text("import earmark.farms.services.stock\n")
    assert reads_importing_writes(tmp_path) == [
        "trace/selectors/traces.py:1 imports earmark.trace.services",
        "farms/selectors.py:1 imports earmark.farms.services.stock",
    ]


def queries_in_views(root: Path = ROOT) -> list[str]:
    """Every ``Model.objects`` in a view or an API function: they ask a selector instead."""
    problems = []
    for path in sorted(root.glob("*/views.py")) + sorted(root.glob("*/api.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                problems.append(f"{path.relative_to(root)}:{node.lineno}")
    return problems


def test_views_and_api_functions_ask_selectors() -> None:
    assert queries_in_views() == []


def test_the_check_sees_a_query_in_a_view(tmp_path: Path) -> None:
    (tmp_path / "farms").mkdir()
    (tmp_path / "farms" / "views.py").write_text("rows = Premises.objects.filter(kind='farm')\n")
    assert queries_in_views(tmp_path) == ["farms/views.py:1"]
