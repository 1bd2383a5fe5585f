"""Keep the layering arrows true: views -> services -> (models, grading, content); the core is pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "quizapp"

# For each layer, the quizapp modules it must never import.
FORBIDDEN = {
    "content": ("quizapp.grading", "quizapp.services", "quizapp.views", "quizapp.models", "quizapp.extensions",
                "quizapp.cli", "flask", "sqlalchemy", "flask_sqlalchemy"),
    "grading": ("quizapp.services", "quizapp.views", "quizapp.models", "quizapp.extensions", "quizapp.cli",
                "flask", "sqlalchemy", "quizapp.content.parser", "quizapp.content.render"),
    "services": ("quizapp.views", "quizapp.cli", "flask.request", "flask.session", "flask.render_template"),
    "charts": ("flask", "sqlalchemy", "quizapp"),
    "api": ("quizapp.views", "quizapp.cli", "quizapp.models", "quizapp.speed.direct", "quizapp.grading.registry"),
}


def imports_of(path: Path) -> list[tuple[str, int, bool]]:
    """List (imported name, line, at module level) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [(f"{node.module}.{alias.name}", node.lineno, id(node) in top) for alias in node.names]
            found.append((node.module, node.lineno, id(node) in top))
    return found


def files_of(layer: str) -> list[Path]:
    """Give a layer's source files (a package folder or a single module)."""
    folder = PACKAGE / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{layer}.py"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_only_downward(layer):
    offences = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in files_of(layer) if path.exists()
        for name, line, _ in imports_of(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer])
    ]
    assert not offences, "\n".join(offences)


def test_no_imports_hidden_inside_functions():
    offences = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name} inside a function"
        for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts
        for name, line, top in imports_of(path)
        if not top and not _in_type_checking(path, line) and not _optional_at_module_level(path, line)
    ]
    assert not offences, "\n".join(offences)


def _optional_at_module_level(path: Path, line: int) -> bool:
    """An import of a module some systems lack (fcntl on Windows), tried at module level: `except ImportError`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Try) and any(ast.unparse(h.type or ast.Name("")) == "ImportError" for h in node.handlers)
        and node.body[0].lineno <= line <= node.body[-1].end_lineno
        for node in tree.body
    )


def _in_type_checking(path: Path, line: int) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) and node.lineno < line <= node.end_lineno
        for node in tree.body
    )


def test_modules_stay_small():
    big = [f"{p.relative_to(PACKAGE.parent)}: {n} lines" for p in sorted(PACKAGE.rglob("*.py"))
           if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    assert not big, "split these modules:\n" + "\n".join(big)
