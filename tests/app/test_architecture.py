"""Keep the house true: views, api, cli -> services -> (models, grading, content); the core is pure.

Also: which service packages may use which, that product code never imports the developer tools, which
modules may use the speed package, and the sizes (modules up to 300 lines, folders up to 14 modules)."""

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
                "flask", "sqlalchemy", "quizapp.content.parsing", "quizapp.content.rendering"),
    "services": ("quizapp.views", "quizapp.api", "quizapp.cli", "flask.request", "flask.session",
                 "flask.render_template"),
    "models": ("quizapp.services", "quizapp.views", "quizapp.api", "quizapp.cli", "quizapp.speed"),
    "charts": ("flask", "sqlalchemy", "quizapp"),
    "api": ("quizapp.views", "quizapp.cli", "quizapp.models", "quizapp.speed.direct", "quizapp.grading.registry"),
    "speed": ("quizapp.services", "quizapp.views", "quizapp.api", "quizapp.cli", "quizapp.models"),
}

# The service packages, each a room for what one kind of person does, and the other rooms each may use.
# Accounts stand alone; teaching reads what learners did; the answer path (learning) writes the
# counters teaching keeps (the summaries, and the review counters of what is fading), and nothing else of
# teaching.
SERVICE_ROOMS = {
    "accounts": (),
    "authoring": ("quizapp.services.accounts",),
    "learning": ("quizapp.services.teaching.summaries",),
    "teaching": ("quizapp.services.accounts", "quizapp.services.learning"),
}

# The only modules that may import the speed package (quizapp.speed): the services (the hot paths live
# there), the views and API lookups that keep pre-rendered fragments, and the plumbing that opens, times
# and closes direct connections.
SPEED_USERS = ("quizapp/__init__.py", "quizapp/database.py", "quizapp/server.py", "quizapp/telemetry.py",
               "quizapp/speed/", "quizapp/services/", "quizapp/views/fragments.py", "quizapp/views/layout.py",
               "quizapp/api/lookup.py")

# Developer tools (synthetic data) are not the product: only the CLI's `dev` group and the tools themselves.
DEVTOOLS_USERS = ("quizapp/cli/dev.py", "quizapp/devtools/")

# Outside the migrations: no module longer than MAX_LINES, no folder with more than MAX_MODULES_PER_FOLDER
# modules side by side.
MAX_LINES = 300
MAX_MODULES_PER_FOLDER = 14


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


def product_modules() -> list[Path]:
    """Every module of the package except the migrations."""
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def _offences(paths, bad_names, allowed=()) -> list[str]:
    """Imports of ``bad_names`` that ``allowed`` does not cover (a package named only on the way to an allowed
    module, as in ``from package import allowed_module``, is covered: the module itself is checked)."""
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in paths
        for name, line, _ in imports_of(path)
        if any(name == bad or name.startswith(bad + ".") for bad in bad_names)
        and not any(name == ok or name.startswith(ok + ".") or ok.startswith(name + ".") for ok in allowed)
    ]


@pytest.mark.parametrize("room", sorted(SERVICE_ROOMS))
def test_service_rooms_use_only_the_rooms_they_may(room):
    others = [f"quizapp.services.{other}" for other in SERVICE_ROOMS if other != room]
    offences = _offences(sorted((PACKAGE / "services" / room).rglob("*.py")), others, SERVICE_ROOMS[room])
    assert not offences, "\n".join(offences)


def test_every_service_module_lives_in_a_room():
    loose = [p.name for p in (PACKAGE / "services").glob("*.py") if p.name != "__init__.py"]
    assert not loose, f"put these in a feature package: {loose}"


def _users_only(package: str, allowed: tuple[str, ...]) -> list[str]:
    outside = [p for p in product_modules()
               if not any(str(p.relative_to(PACKAGE.parent)).startswith(ok) for ok in allowed)]
    return _offences(outside, (package,))


def test_product_never_imports_the_developer_tools():
    offences = _users_only("quizapp.devtools", DEVTOOLS_USERS)
    assert not offences, "\n".join(offences)


def test_only_the_named_modules_use_the_speed_package():
    offences = _users_only("quizapp.speed", SPEED_USERS)
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
    big = []
    for path in product_modules():
        name = str(path.relative_to(PACKAGE.parent))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            big.append(f"{name}: {lines} lines")
    assert not big, f"split these modules (at most {MAX_LINES} lines):\n" + "\n".join(big)


def test_no_folder_holds_more_than_fourteen_modules():
    folders = {p.parent for p in product_modules()}
    crowded = [f"{f.relative_to(PACKAGE.parent)}: {n}" for f in sorted(folders)
               if (n := len(list(f.glob("*.py")))) > MAX_MODULES_PER_FOLDER]
    assert not crowded, f"give these folders sub-rooms (at most {MAX_MODULES_PER_FOLDER} modules):\n" + \
        "\n".join(crowded)
