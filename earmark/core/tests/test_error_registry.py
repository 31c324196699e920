"""Every refusal has its own stable code, registered once with its status, its message in
Chinese and English and its meaning; every code is raised somewhere, and docs/api.md lists
them as the registry has them. (That every code is met by a test, and that every operation
answers only the codes its document lists, is checked over the whole run by
``earmark.error_watch``.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

import earmark
from earmark.core.error_table import DOCUMENT, document_with_table
from earmark.core.errors import NOT_FOUND, BusinessError, NotFound, error_code, registered
from earmark.error_watch import registry_problems

ROOT = Path(earmark.__file__).parent


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.glob("**/*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return names | {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


def test_every_code_lives_in_an_errors_module_with_a_message_in_both_languages() -> None:
    codes = registered()
    assert len(codes) > 100
    for entry in codes:
        assert entry.module.endswith(".errors"), entry.code
        assert entry.meaning[:1].isupper() and entry.meaning[-1] in ".)", entry.code
        with translation.override("zh-hans"):
            chinese = str(entry.message)
        with translation.override("en"):
            english = str(entry.message)
        assert chinese != english, f"{entry.code} has no Chinese message"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), entry.code


def test_every_code_is_raised_somewhere() -> None:
    # NotFound and PermissionDenied answer their codes by default.
    used = {"NOT_FOUND", "PERMISSION_DENIED"}
    for path in _sources():
        if path.name != "errors.py":
            used |= _names_used(path)
    unraised = []
    for entry in registered():
        module = __import__(entry.module, fromlist=["_"])
        names = [name for name, value in vars(module).items() if value is entry]
        if not set(names) & used:
            unraised.append(entry.code)
    assert unraised == []


def test_a_refusal_takes_only_a_registered_code() -> None:
    with pytest.raises(TypeError):
        BusinessError("x", code="invalid")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="defined twice"):
        error_code("not_found", 404, NOT_FOUND.message, "Again.")
    with pytest.raises(ValueError, match="lower snake case"):
        error_code("NotFound", 404, NOT_FOUND.message, "Again.")
    with pytest.raises(ValueError, match="status"):
        error_code("teapot", 418, NOT_FOUND.message, "I'm a teapot.")
    refusal = NotFound()
    assert (refusal.status, refusal.as_dict()["code"]) == (404, "not_found")
    assert refusal.code == "not_found" and refusal.code == NOT_FOUND


def test_no_refusal_is_written_with_a_bare_text_code() -> None:
    """The old way, ``code="invalid"``, is gone: every code is a registered constant."""
    bare = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and any(
                keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
                for keyword in node.keywords
            ):
                name = ast.unparse(node.func)
                if name.endswith(("BusinessError", "NotFound", "PermissionDenied")):
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bare == []


def test_the_api_document_lists_the_codes_as_the_registry_has_them() -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    assert document_with_table(text) == text, "run `earmark error_codes --write`"
    for entry in registered():
        assert f"| `{entry.code}` | {entry.status} |" in text


def test_the_watch_fails_an_undocumented_answer_and_a_code_no_test_meets() -> None:
    problems = registry_problems(
        answered={"premises_list": {"not_found", "invalid_input"}},
        documented={"premises_list": {"invalid_input"}},
        met={entry.code for entry in registered()} - {"plate_taken"},
        whole_suite=True,
    )
    assert problems == [
        "premises_list answered not_found, which its document does not list",
        "plate_taken (earmark.farms.errors) was never met by a test",
    ]
    assert registry_problems(answered={}, documented={}, met=set(), whole_suite=False) == []
