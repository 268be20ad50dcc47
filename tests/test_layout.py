"""The package's layout rules: data flows one way, and no face reaches into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ockit"
MODULES = sorted(PACKAGE.rglob("*.py"))


def imports(path: Path):
    """Yield (module, names) for every `from X import names` in the file, resolved to ockit.* names."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    package = parts if path.name == "__init__.py" else parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_private_name_is_imported_from_another_module(path):
    """Does a module import another module's private (underscore) names?"""
    bad = [(module, name) for module, names in imports(path) if module.startswith("ockit")
           and module != module_name(path) for name in names if name.startswith("_") and name != "__version__"]
    assert not bad, f"{module_name(path)} importe des noms privés : {bad}"


@pytest.mark.parametrize("path", [p for p in MODULES if "widgets" not in p.parts and p.name != "quiz.py"
                                  and "commands" not in p.parts and p.name != "cli.py"],
                         ids=lambda p: module_name(p))
def test_the_library_never_imports_a_widget(path):
    """Does a library module import the widgets (data must flow YAML -> model -> faces)?"""
    bad = [module for module, _ in imports(path) if module.startswith("ockit.widgets") or module == "ockit.quiz"]
    assert not bad, f"{module_name(path)} importe une interface : {bad}"


def test_progress_and_submission_do_not_import_each_other_both_ways():
    """Is there an import circle between progress.py and submission.py?"""
    progress = {m for m, _ in imports(PACKAGE / "progress.py")}
    submission = {m for m, _ in imports(PACKAGE / "submission.py")}
    assert not ("ockit.submission" in progress and "ockit.progress" in submission)
