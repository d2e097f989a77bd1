"""corr user: the people of an office who use the tool, their roles and passwords."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, OfficeName, OptionalOffice, emit_json, print_table, store_at
from correspondence.records.errors import InvalidInput

app = typer.Typer(no_args_is_help=True, help="Users of an office: viewers, drafters, approvers and admins.")

RoleOption = Annotated[
    str, typer.Option("--role", help="viewer (reads), drafter (drafts and submits), approver (approves), admin (manages).")
]
PasswordPrompt = Annotated[bool, typer.Option("--password", help="Set a password for the web workspace (asked for twice, not shown).")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")]


@app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Login name, e.g. jsmith.")],
    office: OfficeName,
    role: RoleOption,
    full_name: Annotated[str, typer.Option("--full-name", help="As letters and pages show it, e.g. \"Jo Smith\".")] = "",
    email: Annotated[Optional[str], typer.Option("--email", help="For the morning reminder of what is due.")] = None,
    password: PasswordPrompt = False,
    password_stdin: PasswordStdin = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add a user to an office. Without a password they act from the command line only (--as NAME).

    Example: corr user add jsmith --office MOPAC --role drafter --full-name "Jo Smith" --password
    """
    from correspondence.cli.views import user_view
    from correspondence.organisation.users import add_user
    from correspondence.records.vocabulary import UserRole

    chosen = UserRole.parse(role, field="--role")
    secret = _password(password, password_stdin)
    with store_at(db).transaction() as session:
        data = user_view(add_user(session, name, office=office, role=chosen, full_name=full_name, email=email, password=secret))
    emit_json(data) if json_output else typer.echo(f"added {data['name']} to {data['office']} as {data['role']}")


@app.command("list")
def user_list(office: OptionalOffice = None, db: Db = None, json_output: Json = False) -> None:
    """List the users, by office.

    Example: corr user list --office MOPAC
    """
    from correspondence.cli.views import user_view
    from correspondence.organisation.users import list_users

    with store_at(db).transaction() as session:
        data = [user_view(user) for user in list_users(session, office)]
    if json_output:
        emit_json(data)
        return
    print_table("Users", ["Name", "Full name", "Office", "Role", "E-mail", "Web login"], [
        [u["name"], u["full_name"], u["office"], u["role"], u["email"],
         "yes" if u["can_log_in"] else ("disabled" if not u["active"] else "no password")]
        for u in data
    ])


@app.command("set")
def user_set(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user's login name.")],
    role: Annotated[Optional[str], typer.Option("--role", help="viewer, drafter, approver or admin.")] = None,
    full_name: Annotated[Optional[str], typer.Option("--full-name", help="As letters and pages show it.")] = None,
    email: Annotated[Optional[str], typer.Option("--email", help="E-mail address; \"\" removes it.")] = None,
    password: PasswordPrompt = False,
    password_stdin: PasswordStdin = False,
    enable: Annotated[bool, typer.Option("--enable", help="Let a disabled user in again.")] = False,
    morning_email: Annotated[Optional[bool], typer.Option("--morning-email/--no-morning-email", help="Send them (or stop) the morning e-mail of what is theirs and due ('corr remind').", show_default=False)] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change a user's role, name, e-mail or password, or enable them again.

    Example: corr user set jsmith --role approver
    """
    from correspondence.cli.views import user_view
    from correspondence.organisation.users import get_user, update_user
    from correspondence.records.vocabulary import UserRole

    chosen = UserRole.parse(role, field="--role") if role is not None else None
    secret = _password(password, password_stdin)
    with store_at(db).transaction() as session:
        user = get_user(session, name)
        changed = update_user(session, user, role=chosen, full_name=full_name, email=email, password=secret,
                              active=True if enable else None, morning_email=morning_email)
        data = user_view(user)
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"{data['name']}: changed {', '.join(changed)}" if changed else f"{data['name']}: nothing to change")


@app.command("disable")
def user_disable(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user's login name.")],
    db: Db = None,
) -> None:
    """Stop a user acting or logging in, and end their sessions in the web workspace; their history
    stays (users are never deleted).

    Example: corr user disable jsmith
    """
    from correspondence.organisation.users import get_user, update_user

    with store_at(db).transaction() as session:
        user = get_user(session, name)
        update_user(session, user, active=False)
        login = user.name
    typer.echo(f"{login}: disabled")


@app.command("sign-out")
def user_sign_out(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The user's login name.")],
    db: Db = None,
) -> None:
    """End every session the user has in the web workspace, on every server at once (a lost laptop,
    a computer left logged in). Their password is unchanged: they can log in again.

    Example: corr user sign-out jsmith
    """
    import datetime as dt

    from correspondence.organisation.sessions import end_user_sessions
    from correspondence.organisation.users import get_user
    from correspondence.records.models import SessionEnd

    with store_at(db).transaction() as session:
        user = get_user(session, name)
        ended = end_user_sessions(session, user.id, SessionEnd.SIGNED_OUT_EVERYWHERE, dt.datetime.now(dt.UTC))
        login = user.name
    typer.echo(f"{login}: signed out everywhere ({ended} session{'s' if ended != 1 else ''} ended)")


def _password(prompt: bool, from_stdin: bool) -> str | None:
    if prompt and from_stdin:
        raise InvalidInput("--password and --password-stdin: give one, not both")
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise InvalidInput("--password-stdin: standard input held no password")
        return line.rstrip("\r\n")
    if prompt:
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return None
