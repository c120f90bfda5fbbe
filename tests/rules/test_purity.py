"""``learning.rules`` is pure: standard library only, no Django, no clock, no municipality literals."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import learning.rules

PACKAGE_DIR = Path(learning.rules.__file__).resolve().parent
MODULES = sorted(PACKAGE_DIR.glob("*.py"))
DIRECTORY_JSON = PACKAGE_DIR.parent / "data" / "directory.json"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _absolute_imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_package_has_modules():
    assert {"__init__.py", "engine.py", "catalogue.py", "directory.py", "model.py"} <= {
        m.name for m in MODULES
    }


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_no_django_and_standard_library_only(module):
    imported = _absolute_imports(_tree(module))
    assert "django" not in imported
    assert "wagtail" not in imported
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported - set(sys.stdlib_module_names)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_no_clock(module):
    # Time is an argument to route(); the package never asks the clock.
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"now", "today", "utcnow", "time", "monotonic"}, (module.name, node.attr)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_no_municipality_literals(module):
    # Municipal facts live in the directory data; the rules never branch on a municipality.
    data = json.loads(DIRECTORY_JSON.read_text(encoding="utf-8"))
    slugs = {m["slug"] for m in data["municipalities"]}
    names = {m["name"] for m in data["municipalities"]}
    phones = {c["phone"] for m in data["municipalities"] for c in m["contacts"] if len(c["phone"]) > 3}
    emails = {c["email"] for m in data["municipalities"] for c in m["contacts"] if c["email"]}
    forbidden = slugs | names | phones | emails | {"Køge", "Ishøj", "Rødovre"}
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for literal in forbidden:
                assert literal.lower() not in node.value.lower(), (module.name, literal)


def test_imports_and_routes_without_django_or_the_parent_package():
    """Load learning/rules as a standalone package in a fresh interpreter: Django must stay out.

    (The parent ``learning`` package starts Celery, which may import Django; that is not this
    package's doing, so the check bypasses it.)
    """
    script = f"""
import importlib.util, sys
from datetime import date
spec = importlib.util.spec_from_file_location(
    "standalone_rules", {str(PACKAGE_DIR / "__init__.py")!r},
    submodule_search_locations=[{str(PACKAGE_DIR)!r}],
)
module = importlib.util.module_from_spec(spec)
sys.modules["standalone_rules"] = module
spec.loader.exec_module(module)
directory = module.load_default_directory()
concern = module.Concern("koege", age=15, signs=("attitudes.intolerance", "behaviour.crime_risk"))
decision = module.route(concern, directory=directory, on=date(2025, 1, 1))
assert "notify_children_services" in decision.actions, decision
bad = sorted(m for m in sys.modules if m.split(".")[0] in {{"django", "wagtail", "celery", "learning"}})
print(",".join(bad))
"""
    result = subprocess.run(  # noqa: S603 - fixed interpreter and script, no user input
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
