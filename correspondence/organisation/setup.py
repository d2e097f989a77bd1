"""First setup: the one-time link that creates a store's first office, its force and its first admin.

The server, started on a store with no office yet, asks for a link (``create_link``): a random token, of
which only the SHA-256 is kept in ``setup_links``. Whoever opens it on the machine fills in the
office, the force it oversees and the first admin, and ``set_up_office`` creates all three in one
transaction and spends the token, so the link works once. Once the store has an office no link is
made and every link is closed.

The links are workspace state, like the web's sessions: written with plain statements, not
through the event log (the office, force and admin it creates are logged as every change is).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from correspondence.organisation.offices import add_office, get_or_add_force, usual_chief_officer_title
from correspondence.organisation.reference_schemes import check_scheme
from correspondence.organisation.users import NAME_PATTERN, add_user, hash_password
from correspondence.records.errors import CorrespondenceError, InvalidInput, NotPermitted
from correspondence.records.models import Office, SetupLink, User
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import UserRole

TOKEN_BYTES = 32
OPEN, USED, UNKNOWN, CLOSED = "open", "used", "unknown", "closed"


class LinkNotUsable(NotPermitted):
    """The setup link cannot be used: spent, never made, or the store already has an office.
    ``state`` says which (USED, UNKNOWN or CLOSED)."""

    def __init__(self, refusal: str, state: str) -> None:
        super().__init__(refusal)
        self.state = state


class SetupRefused(InvalidInput):
    """What was given cannot set up the office: every problem at once, each with its field."""

    def __init__(self, problems: list[CorrespondenceError]) -> None:
        first = problems[0]
        super().__init__(first.refusal, field=first.field, value=first.value, steps=first.steps)
        self.problems = problems


@dataclass
class SetupDetails:
    """What the setup form asks for."""

    office_name: str
    short_name: str
    force: str
    admin_name: str
    login: str
    password: str
    email: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    address: str = ""
    reference_scheme: str = "{seq}"
    chief_officer_title: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def has_office(session: Session) -> bool:
    return session.scalar(select(Office.id).limit(1)) is not None


def create_link(session: Session, now: dt.datetime) -> str | None:
    """A new one-time setup token while the store has no office (the token itself is never
    stored); None once it has one."""
    if has_office(session):
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.execute(insert(SetupLink).values(token_sha256=token_hash(token), created_at=now))
    return token


def link_state(session: Session, token: str) -> str:
    """OPEN (the link may be used), USED (it set up the office), UNKNOWN (never made) or CLOSED (the
    store has an office, which another link or the command line set up: no link opens anything)."""
    wanted = token_hash(token)
    row = session.execute(select(SetupLink.token_sha256, SetupLink.used_at).where(SetupLink.token_sha256 == wanted)).first()
    known = row is not None and hmac.compare_digest(row.token_sha256, wanted)
    if known and row.used_at is not None:
        return USED
    if has_office(session):
        return CLOSED
    return OPEN if known else UNKNOWN


def set_up_office(session: Session, token: str, details: SetupDetails, now: dt.datetime) -> User:
    """Create the office, its force (with its chief officer's title) and its first admin, and spend
    the token, all in the caller's transaction. Refused (LinkNotUsable) when the link is spent or
    unknown or the store already has an office, checked after taking the links' lock, so two setups
    at once cannot both succeed; refused (SetupRefused) with every problem in what was given."""
    _lock_links(session)
    state = link_state(session, token)
    if state != OPEN:
        raise LinkNotUsable({USED: "this setup link has been used", UNKNOWN: "this setup link is not valid",
                             CLOSED: "the office is already set up"}[state], state)
    problems, checked = _check(details)
    if problems:
        raise SetupRefused(problems)
    login = checked["login"]
    with acting_as(login):  # the event log names the admin as who set the office up
        admin = _create(session, details, checked, problems)
        admin.password_hash = checked["password_hash"]
        session.execute(update(SetupLink).where(SetupLink.token_sha256 == token_hash(token)).values(used_at=now))
        session.flush()
    return admin


def problems_in(details: SetupDetails) -> list[CorrespondenceError]:
    """Every problem in what was given that can be seen without the store, each with its field."""
    return _check(details)[0]


def _check(details: SetupDetails) -> tuple[list[CorrespondenceError], dict[str, str]]:
    problems: list[CorrespondenceError] = []

    def checked(name: str, check):  # noqa: ANN001, ANN202 - a value's check, its refusal kept with the field
        try:
            return check()
        except CorrespondenceError as problem:
            problems.append(problem if problem.field else InvalidInput(problem.refusal, field=name, value=problem.value))
            return None

    def required(name: str, value: str, what: str) -> str:
        value = " ".join(value.split())
        if not value:
            problems.append(InvalidInput(f"enter {what}", field=name))
        return value

    values = {"office_name": required("office_name", details.office_name, "the office's full name")}
    values["short_name"] = short_name = details.short_name.strip()
    if not short_name:
        problems.append(InvalidInput("enter a short name, for example MOPAC", field="short_name"))
    elif any(character.isspace() for character in short_name):
        problems.append(InvalidInput("a short name is one word, with no spaces: for example MOPAC or LLR", field="short_name", value=short_name))
    values["scheme"] = checked("reference_scheme", lambda: check_scheme(details.reference_scheme.strip() or "{seq}"))
    values["force"] = required("force", details.force, "the force the office oversees")
    values["admin_name"] = required("admin_name", details.admin_name, "the admin's full name")
    values["login"] = login = details.login.strip().lower()
    if not NAME_PATTERN.fullmatch(login):
        problems.append(InvalidInput("use letters, digits, '.', '-' or '_' (at most 100), for example jsmith", field="login",
                                     value=details.login))
    values["password_hash"] = checked("password", lambda: hash_password(details.password, login))
    return problems, values


def _create(session: Session, details: SetupDetails, values: dict[str, str], problems: list[CorrespondenceError]) -> User:
    def checked(name: str, make):  # noqa: ANN001, ANN202
        try:
            return make()
        except CorrespondenceError as problem:
            problems.append(problem if problem.field else InvalidInput(problem.refusal, field=name, value=problem.value))
            return None

    force = get_or_add_force(session, values["force"])
    title = " ".join(details.chief_officer_title.split()) or usual_chief_officer_title(force.name)
    if force.chief_officer_title != title:
        force.chief_officer_title = title
    office = checked("office_name", lambda: add_office(
        session, name=values["office_name"], short_name=values["short_name"], address=_lines(details.address),
        signatory_name=details.signatory_name.strip(), signatory_title=details.signatory_title.strip(),
        reference_scheme=values["scheme"], force=force, require_approval=True))
    if office is None:
        raise SetupRefused(problems)
    admin = checked("login", lambda: add_user(session, values["login"], office=office.short_name, role=UserRole.ADMIN,
                                              full_name=values["admin_name"], email=details.email or None))
    if admin is None:
        raise SetupRefused(problems)
    return admin


def _lock_links(session: Session) -> None:
    """Take every link's row lock (PostgreSQL; SQLite's writers already take turns), so a second
    setup waits for the first to commit and then finds the office it made."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(SetupLink.id).with_for_update()).all()


def _lines(value: str) -> str:
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())
