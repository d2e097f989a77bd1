"""The package's layers hold, and a module put in the wrong place is refused.

The contracts live in pyproject.toml ([tool.importlinter]) and CI runs ``lint-imports``; these
tests run it too, on the real tree and on copies of it with one mistake each, so a contract that
had stopped catching anything would be noticed.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "correspondence"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 500

requires_lint_imports = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed (pip install -e '.[test]')")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the package found at ``root`` (a copy, or the tree itself), with its contracts."""
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, env=environment, capture_output=True, text=True, timeout=300)


@pytest.fixture
def copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "correspondence", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@requires_lint_imports
def test_the_package_keeps_its_layers_and_has_no_circles() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@requires_lint_imports
def test_a_lower_layer_importing_a_higher_one_fails(copy_of_the_tree: Path) -> None:
    (copy_of_the_tree / "correspondence" / "records" / "shortcut.py").write_text(
        "from correspondence.drafting import phrasing\n", encoding="utf-8")
    result = lint_imports(copy_of_the_tree)
    assert result.returncode != 0
    assert "correspondence.records is not allowed to import correspondence.drafting" in result.stdout
    assert "correspondence.records.shortcut -> correspondence.drafting.phrasing" in result.stdout


@requires_lint_imports
def test_a_module_outside_every_layer_fails(copy_of_the_tree: Path) -> None:
    (copy_of_the_tree / "correspondence" / "helpers.py").write_text("HELP = 1\n", encoding="utf-8")
    result = lint_imports(copy_of_the_tree)
    assert result.returncode != 0
    assert "correspondence.helpers" in result.stdout


@requires_lint_imports
def test_a_circle_inside_a_layer_fails_even_when_imported_inside_a_function(copy_of_the_tree: Path) -> None:
    dates = copy_of_the_tree / "correspondence" / "records" / "dates.py"
    dates.write_text(dates.read_text(encoding="utf-8") + "\n\ndef _later():\n    from correspondence.records import limits\n",
                     encoding="utf-8")
    result = lint_imports(copy_of_the_tree)
    assert result.returncode != 0
    assert "No cycles are allowed in correspondence.records" in result.stdout


@requires_lint_imports
def test_the_faces_do_not_borrow_from_each_other(copy_of_the_tree: Path) -> None:
    (copy_of_the_tree / "correspondence" / "web" / "borrowed.py").write_text(
        "from correspondence.cli.common import human_date\n", encoding="utf-8")
    result = lint_imports(copy_of_the_tree)
    assert result.returncode != 0
    assert "correspondence.web is not allowed to import correspondence.cli" in result.stdout


def test_the_tree_shows_the_layers() -> None:
    """Nothing but the faces' and layers' packages at the top of the package."""
    top = {path.name for path in PACKAGE.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()}
    assert top == {"__init__.py", "cli", "web", "examples", "process", "drafting", "importers", "register", "tracking",
                   "organisation", "files", "records"}


def test_every_layer_says_what_it_holds() -> None:
    for package in PACKAGE.iterdir():
        init = package / "__init__.py"
        if init.exists():
            assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{package.name}/__init__.py has no docstring"


def test_no_module_is_over_about_five_hundred_lines() -> None:
    long = {str(path.relative_to(ROOT)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"split these by what they hold: {long}"
