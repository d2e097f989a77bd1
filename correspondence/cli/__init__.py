"""The ``corr`` command: a thin layer over the library, one module per command group.

Each command opens the store, does its work in one transaction, and prints. Library modules are
imported inside the commands so ``corr --help`` starts without loading SQLAlchemy. Errors of the
package's own type become one line on stderr and exit code 1 (see root._ReportingGroup).
"""

from __future__ import annotations

from correspondence.cli import (
    action,
    annex,
    answer,
    backup,
    comments,
    config,
    draft,
    due,
    force,
    history,
    inspection,
    letter,
    line,
    meeting,
    office,
    process,
    owner,
    role,
    serve,
    setup,
    template,
    update,
    user,
)
import typer

from correspondence.cli.root import app

# In the order `corr --help` lists them: getting started, the records, drafting, tracking, safety.
app.command()(setup.init)
app.command()(setup.example)
for _name, _module in (
    ("office", office), ("force", force), ("inspection", inspection), ("letter", letter), ("role", role),
    ("draft", draft), ("answer", answer), ("line", line), ("template", template), ("meeting", meeting),
    ("update", update), ("action", action), ("annex", annex), ("user", user), ("owner", owner), ("mail", serve.mail_app),
    ("config", config),
):
    app.add_typer(_module if isinstance(_module, typer.Typer) else _module.app, name=_name)
# The s.55 process, in its order: invite, chase, the chief officer's comments, ..., publish.
app.command()(process.invite)
app.command()(process.chase)
app.add_typer(comments.app, name="comments")
app.command()(process.publish)
app.command()(due.due)
app.command()(backup.backup)
app.command("export")(backup.export_all)
app.command("restore")(backup.restore_all)
app.command("check")(backup.check)
app.command()(history.history)
app.command()(serve.serve)
app.command()(serve.remind)

__all__ = ["app", "main"]


def main() -> None:
    app()
