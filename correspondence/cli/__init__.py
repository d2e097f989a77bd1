"""The ``corr`` command: a thin layer over the library, one module per command group.

Each command opens the store, does its work in one transaction, and prints. Library modules are
imported inside the commands so ``corr --help`` starts without loading SQLAlchemy. Errors of the
package's own type become one line on stderr and exit code 1 (see root._ReportingGroup).
"""

from __future__ import annotations

from correspondence.cli import (
    action,
    annex,
    backup,
    config,
    draft,
    due,
    force,
    history,
    inspection,
    letter,
    meeting,
    office,
    role,
    setup,
    template,
    update,
)
from correspondence.cli.root import app

# In the order `corr --help` lists them: getting started, the records, drafting, tracking, safety.
app.command()(setup.init)
app.command()(setup.example)
for _name, _module in (
    ("office", office), ("force", force), ("inspection", inspection), ("letter", letter), ("role", role),
    ("draft", draft), ("template", template), ("meeting", meeting), ("update", update), ("action", action),
    ("annex", annex), ("config", config),
):
    app.add_typer(_module.app, name=_name)
app.command()(due.due)
app.command()(backup.backup)
app.command("export")(backup.export_all)
app.command("restore")(backup.restore_all)
app.command("check")(backup.check)
app.command()(history.history)

__all__ = ["app", "main"]


def main() -> None:
    app()
