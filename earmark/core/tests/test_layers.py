"""Dependencies run one way (DESIGN §9): a lower app never imports a higher one. Tests and
migrations may reach up (a test builds its scene with any service); every other module may not,
not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

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
    {"stocktakes"},
    {"slaughter"},
    {"trace"},
    {"rollout", "exchange"},
    {"web"},
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _apps() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/apps.py")}


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module ``path`` imports, relative imports (``from ..quarantine import x``) read
    as the absolute modules they name."""
    package = ["earmark", *path.relative_to(root).parent.parts]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            if node.level and not node.module:
                found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, module))
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
        for line, module in _imports(path, root):
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
    # Relative imports name the same modules.
    (tmp_path / "eartags" / "services" / "issuing.py").write_text(
        "from ...quarantine import models\nfrom ..models import Tag\nfrom . import usage\n"
    )
    assert upward_imports(tmp_path) == [
        "eartags/services/issuing.py:1 imports earmark.quarantine",
        "eartags/services/usage.py:2 imports earmark.quarantine.models",
    ]


def upward_relations() -> list[str]:
    """Every relation of a model to a model of a higher app: a foreign key written as a string
    (``"trace.Investigation"``) is an upward dependency the imports do not show."""
    problems = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in RANK:
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.related_model is None:
                continue
            # The user model is Django's swappable setting, the way every app names the user.
            if getattr(field, "swappable_setting", None) == "AUTH_USER_MODEL":
                continue
            other = field.related_model._meta.app_label
            if other in RANK and RANK[other] > RANK[app]:
                problems.append(
                    f"{model._meta.label}.{field.name} → {field.related_model._meta.label}"
                )
    return problems


def test_no_model_points_at_a_higher_app() -> None:
    assert upward_relations() == []


def reads_importing_writes(root: Path = ROOT) -> list[str]:
    """Every selectors module (the reads) that imports a services module (the writes)."""
    problems = []
    for path in sorted(root.glob("*/selectors*/**/*.py")) + sorted(root.glob("*/selectors.py")):
        relative = path.relative_to(root)
        for line, module in _imports(path, root):
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


# Calls that only a queryset answers (``get``, ``count`` or ``values`` are left out: dicts and
# lists have them too).
QUERYSET_CALLS = {
    "aggregate", "annotate", "bulk_create", "defer", "distinct", "exclude", "exists", "filter",
    "get_or_create", "in_bulk", "iterator", "only", "order_by", "prefetch_related",
    "select_for_update", "select_related", "update_or_create", "values_list",
}  # fmt: skip


def _views_and_apis(root: Path) -> list[Path]:
    """The views and API modules of every app, single modules or packages."""
    patterns = ("*/views.py", "*/api.py", "*/views/*.py", "*/api/*.py")
    return sorted(path for pattern in patterns for path in root.glob(pattern))


def queries_in_views(root: Path = ROOT) -> list[str]:
    """Every ``Model.objects`` and every queryset call in a view or an API function: they ask a
    selector, which shapes the query, instead."""
    problems = []
    for path in _views_and_apis(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                problems.append(f"{path.relative_to(root)}:{node.lineno}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in QUERYSET_CALLS
            ):
                problems.append(f"{path.relative_to(root)}:{node.lineno} .{node.func.attr}()")
    return sorted(problems)


def test_views_and_api_functions_ask_selectors() -> None:
    assert queries_in_views() == []


def test_the_check_sees_a_query_in_a_view(tmp_path: Path) -> None:
    (tmp_path / "farms").mkdir()
    (tmp_path / "farms" / "views.py").write_text(
        "rows = Premises.objects.filter(kind='farm')\n"
        "mine = premises_list(user=u).order_by('code')\n"
    )
    assert queries_in_views(tmp_path) == [
        "farms/views.py:1",
        "farms/views.py:1 .filter()",
        "farms/views.py:2 .order_by()",
    ]
