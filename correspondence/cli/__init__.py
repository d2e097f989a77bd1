"""The ``corr`` command: a thin layer over the library, one module per command group.

Each command opens the store, does its work in one transaction, and prints. The command modules
are listed in root.COMMANDS and imported only when their command runs, and library modules are
imported inside the commands, so ``corr --help`` starts without loading SQLAlchemy. Errors of the
package's own type become one line on stderr and exit code 1 (see root._ReportingGroup).
"""

from __future__ import annotations

from correspondence.cli.root import app

__all__ = ["app", "main"]


def main() -> None:
    app()
