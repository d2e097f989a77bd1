"""Where the files that travel with the tool live: Word templates and Alembic migrations.

In the repository they sit at the top level (templates/, db/), where people edit them. The wheel
carries them inside the package as correspondence/_bundled/ (pyproject's force-include), because
an installed tool cannot see the repository. An editable install imports the package from the
repository itself, so there the top-level folders are found beside the package. Looking in both
places, bundled first, makes the same code work in a wheel, an editable install and a checkout.
"""

from __future__ import annotations

from pathlib import Path

from correspondence.records.errors import CorrespondenceError

_PACKAGE = Path(__file__).resolve().parents[1]  # correspondence/, above this module's records/


def resource_dir(name: str) -> Path:
    """The folder ``name`` ("templates" or "db") whichever way the tool was installed."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise CorrespondenceError(
        f"the tool's {name}/ folder is missing from {_PACKAGE}; reinstall correspondence"
    )


def migrations_dir() -> Path:
    return resource_dir("db")


def templates_dir() -> Path:
    return resource_dir("templates")


def data_file(name: str) -> Path:
    """A data file shipped inside the package itself (always present in any install)."""
    return _PACKAGE / "data" / name
