"""corr serve: the office's shared workspace in the browser; corr remind: the morning e-mails;
corr mail: how an office sends them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from correspondence.cli.common import (
    Db,
    Json,
    OfficeName,
    OptionalOffice,
    emit_json,
    human_date,
    option_date,
    print_fields,
    store_at,
)

mail_app = typer.Typer(no_args_is_help=True, help="How an office sends e-mail: the SMTP server for the morning reminders.")


def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on; 0.0.0.0 for every network the server is on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8055,
    letters: Annotated[Optional[Path], typer.Option("--letters", hidden=True, help="Deprecated and ignored: each office's letters are in its own folder ('corr office set --letters').")] = None,
    threads: Annotated[int, typer.Option("--threads", min=1, max=64, help="How many requests are served at once.")] = 8,
    secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="Send the session cookie over HTTPS only (when a proxy serves the workspace over HTTPS).")] = False,
    db: Db = None,
) -> None:
    """Serve the web workspace on the configured store, with waitress (Windows and Linux alike).

    On a store with no office yet it prints a one-time link that sets up the office, its force and
    its first admin in the browser; with no store chosen and none in the working folder, it makes
    correspondence.db there first.

    Every file is kept in the store; an office that names a folder of its own ('corr office set
    --letters') also gets a copy of each new file there.

    Example: corr serve --db postgresql://server/office --host 0.0.0.0 --port 8055
    """
    import logging

    from waitress import serve as waitress_serve

    from correspondence.records.errors import CorrespondenceError
    from correspondence.web import create_app

    store = _first_store(db)
    if letters is not None:
        typer.echo("warning: --letters is deprecated and ignored: every file is kept in the store, and an office that "
                   "wants copies in a folder names it with 'corr office set SHORT --letters FOLDER'", err=True)
    folders = _letters_folders(store)
    app = create_app(store, secure_cookies=secure_cookies)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    banner = setup_banner(store, host, port)
    if banner:
        typer.echo(banner, err=True)
    elif not _anyone_can_log_in(store):
        typer.echo("nobody can log in yet: add a user with a password, e.g. "
                   "corr user add NAME --office SHORT --role admin --password", err=True)
    for short, folder in folders:
        typer.echo(f"{short}'s files: in the store" + (f", with copies in {folder}" if folder else ""), err=True)
    typer.echo(f"serving {store.display_url} at http://{host}:{port}/; Ctrl+C stops", err=True)
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="correspondence")
    except OSError as error:
        raise CorrespondenceError(f"cannot listen on {host}:{port}: {error.strerror or error} (is another server using the port?)") from None


def _first_store(db: str | None):  # noqa: ANN202 - records.store.Store
    """The chosen store. Where none was chosen (no --db, CORR_DATABASE_URL or corr.toml) and
    correspondence.db is not in the working folder yet, it is made there: installing the tool and
    starting the server is all a first try needs. A store that was named must exist already."""
    from correspondence.records.store import DEFAULT_URL, choose_database

    chosen, _source = choose_database(db)
    file = Path(DEFAULT_URL.removeprefix("sqlite:///"))
    if chosen == DEFAULT_URL and not file.exists():
        store = store_at(db, create=True)
        typer.echo(f"made a new store, {file.resolve()}", err=True)
        return store
    return store_at(db)


def setup_banner(store, host: str, port: int) -> str | None:  # noqa: ANN001 - records.store.Store
    """On a store with no office yet: the one-time link that sets up the office, its force and its
    first admin in the browser (a new link each time the server starts). None once there is an office."""
    import datetime as dt

    from correspondence.organisation.setup import create_link

    with store.transaction() as session:
        token = create_link(session, dt.datetime.now(dt.UTC))
    if token is None:
        return None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    return ("No office is set up yet. To set it up, with its force and you as its first admin, open this link "
            f"(it works once):\n\n    http://{shown}:{port}/setup/{token}\n")


def _letters_folders(store) -> list[tuple[str, str | None]]:
    """Each office's mirror folder, if it names one."""
    from correspondence.organisation.offices import list_offices

    with store.reading() as session:
        return [(office.short_name, office.letters_dir) for office in list_offices(session)]


def _anyone_can_log_in(store) -> bool:
    from sqlalchemy import select

    from correspondence.records.models import User

    with store.transaction() as session:
        return session.scalar(select(User.id).where(User.active.is_(True), User.password_hash.is_not(None)).limit(1)) is not None


def remind(
    office: OptionalOffice = None,
    today: Annotated[str | None, typer.Option("--today", help="Judge what is due against this date instead of today.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say who would get an e-mail; send nothing.")] = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Send each user who asked for it a morning e-mail of what is theirs and due or overdue.

    Run it from a scheduled task each morning (Task Scheduler on Windows, cron elsewhere).

    Example: corr remind --office MOPAC

    Example: corr remind --dry-run
    """
    import datetime as dt

    from correspondence.organisation.offices import get_office, list_offices
    from correspondence.process.reminders import mail_settings, send_reminders

    when = option_date(today, "--today") or dt.date.today()
    results = []
    with store_at(db).transaction() as session:
        chosen = [get_office(session, office)] if office else [o for o in list_offices(session) if mail_settings(session, o)]
        if not chosen:
            typer.echo("no office has mail settings; set them with 'corr mail set --office SHORT ...'", err=True)
        for each in chosen:
            for sent in send_reminders(session, each, when, dry_run=dry_run):
                results.append({"office": each.short_name, "user": sent.user, "email": sent.email, "items": sent.items, "sent": not dry_run})
    if json_output:
        emit_json(results)
        return
    verb = "would send" if dry_run else "sent"
    for item in results:
        typer.echo(f"{verb} {item['user']} <{item['email']}> {item['items']} item{'s' if item['items'] != 1 else ''} ({item['office']})")
    typer.echo(f"{len(results)} reminder{'s' if len(results) != 1 else ''} {verb} for {human_date(when)}", err=True)


@mail_app.command("set")
def mail_set(
    office: OfficeName,
    host: Annotated[str, typer.Option("--host", help="The SMTP server, e.g. smtp.office.example.org.")],
    sender: Annotated[str, typer.Option("--from", help="The address reminders come from.")],
    port: Annotated[int, typer.Option("--port", help="Usually 25 (a relay), 587 (STARTTLS) or 465 (SSL).")] = 25,
    security: Annotated[str, typer.Option("--security", help="none, starttls or ssl.")] = "none",
    username: Annotated[str, typer.Option("--username", help="If the server needs a login; the password comes from CORR_SMTP_PASSWORD.")] = "",
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Set the office's SMTP server for the morning reminders.

    Example: corr mail set --office MOPAC --host smtp.office.example.org --port 587 --security starttls --from correspondence@example.org
    """
    from correspondence.organisation.offices import get_office
    from correspondence.process.reminders import set_mail_settings

    with store_at(db).transaction() as session:
        settings = set_mail_settings(session, get_office(session, office), host=host, port=port, sender=sender,
                                     security=security, username=username)
        data = _mail_view(settings, office)
    emit_json(data) if json_output else typer.echo(f"{data['office']}: mail through {data['host']}:{data['port']} from {data['sender']}")


@mail_app.command("show")
def mail_show(office: OfficeName, db: Db = None, json_output: Json = False) -> None:
    """Show the office's mail settings.

    Example: corr mail show --office MOPAC
    """
    from correspondence.organisation.offices import get_office
    from correspondence.process.reminders import mail_settings
    from correspondence.records.errors import NotFound

    with store_at(db).transaction() as session:
        chosen = get_office(session, office)
        settings = mail_settings(session, chosen)
        if settings is None:
            raise NotFound(f"{chosen.short_name} has no mail settings; set them with 'corr mail set'")
        data = _mail_view(settings, chosen.short_name)
    emit_json(data) if json_output else print_fields(data)


def _mail_view(settings, office: str) -> dict:
    return {"office": office, "host": settings.host, "port": settings.port, "security": settings.security,
            "username": settings.username, "sender": settings.sender}
