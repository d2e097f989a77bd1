"""The top-level ``corr`` application, and the one place the package's errors become messages."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from correspondence.errors import CorrespondenceError


class _ReportingGroup(TyperGroup):
    """Turn the package's errors, from any subcommand, into a one-line message and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CorrespondenceError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_ReportingGroup,
    no_args_is_help=True,
    add_completion=False,
    help="Draft, log and track the formal letters of a police and crime commissioner's office.",
)
