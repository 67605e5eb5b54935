"""The apps depend one way: accountability -> protocols -> boards. A lower app never imports a higher one,
so each can be read, tested and replaced without the ones built on it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"boards": {"protocols", "accountability"}, "protocols": {"accountability"}}


def imported_apps(path):
    """Top-level package names imported anywhere in a module, including inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_never_imports_the_apps_built_on_it(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) & FORBIDDEN[app]
    }
    assert offenders == {}


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def view():\n    from accountability import services\n")
    assert imported_apps(module) == {"accountability"}
