"""The people of an office who use the tool, and what each may do.

One rule lives here for both faces: who may do what (a role includes the ones below it, see
vocabulary.UserRole), and whether a password is right. Each face names the acting user (the CLI from its option or
CORR_USER; the web workspace logs users in with the password set here.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from correspondence.organisation.offices import get_office
from correspondence.organisation.oversight import concerns_office
from correspondence.organisation.sessions import end_user_sessions
from correspondence.records.errors import CorrespondenceError, InvalidInput, NotFound, NotPermitted, OutsideOffice, Step
from correspondence.records.models import (
    Action,
    ForceUpdate,
    ImprovementArea,
    Inspection,
    Letter,
    Meeting,
    Office,
    RoleHolder,
    SessionEnd,
    User,
)
from correspondence.records.store import current_actor
from correspondence.records.vocabulary import UserRole

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
MIN_PASSWORD_LENGTH = 10  # NCSC: length beats complexity rules


def add_user(
    session: Session,
    name: str,
    *,
    office: str,
    role: UserRole,
    full_name: str = "",
    email: str | None = None,
    password: str | None = None,
) -> User:
    """A new user of ``office``; without a password they can act from the CLI but not log in."""
    login = _login_name(name)
    if _user_named(session, login) is not None:
        raise InvalidInput(f"user {login!r} already exists", steps=[Step("change_user", "change them instead", user=login)])
    user = User(
        office=get_office(session, office),
        name=login,
        full_name=" ".join(full_name.split()),
        email=_email(email),
        role=role,
        active=True,
    )
    if password is not None:
        user.password_hash = hash_password(password, login)
    session.add(user)
    session.flush()
    return user


def new_user_problems(session: Session, name: str, *, email: str | None = None,
                      password: str | None = None) -> list[CorrespondenceError]:
    """Every reason add_user would refuse these, at once (a form shows them all together): the
    login name, whether it is taken, the e-mail address and the password, each with its field."""
    problems: list[CorrespondenceError] = []
    try:
        login = _login_name(name)
        if _user_named(session, login) is not None:
            raise InvalidInput(f"user {login!r} already exists", field="name",
                               steps=[Step("change_user", "change them instead", user=login)])
    except CorrespondenceError as problem:
        problems.append(InvalidInput(problem.refusal, field="name", steps=problem.steps))
    try:
        _email(email)
    except CorrespondenceError as problem:
        problems.append(problem)
    if password is not None:
        try:
            check_new_password(password, name.strip().lower())
        except CorrespondenceError as problem:
            problems.append(problem)
    return problems


def check_new_password(password: str, name: str = "") -> None:
    """Refuse a password hash_password would refuse (without hashing it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"must be at least {MIN_PASSWORD_LENGTH} characters", field="password")
    if name and password.strip().casefold() == name.casefold():
        raise InvalidInput("must not be the user's name", field="password")


def get_user(session: Session, name: str) -> User:
    user = _user_named(session, name)
    if user is None:
        raise NotFound(f"no user named {name.strip()!r}", steps=[Step("add_user", "an admin adds them")])
    return user


def list_users(session: Session, office: str | None = None) -> list[User]:
    query = select(User).join(Office).order_by(Office.short_name, User.name)
    if office:
        query = query.where(User.office_id == get_office(session, office).id)
    return list(session.scalars(query))


def update_user(
    session: Session,
    user: User,
    *,
    role: UserRole | None = None,
    full_name: str | None = None,
    email: str | None = None,
    password: str | None = None,
    active: bool | None = None,
    morning_email: bool | None = None,
) -> list[str]:
    """Apply the given changes; the names of the fields that changed (for the message).

    An office never loses its last enabled admin: someone must be left who can manage its users.
    A new password, or disabling the user, ends every web session they have, on every server at
    once (sessions.py); whoever changed their own password starts a new one.
    """
    if user.active and user.role is UserRole.ADMIN and (active is False or (role is not None and role is not UserRole.ADMIN)):
        others = session.scalar(select(func.count()).select_from(User).where(
            User.office_id == user.office_id, User.id != user.id, User.active.is_(True), User.role == UserRole.ADMIN))
        if not others:
            raise InvalidInput(f"{user.display_name} is {user.office.short_name}'s last admin; make someone else an admin first")
    changed = []
    if role is not None and role is not user.role:
        user.role, changed = role, [*changed, "role"]
    if full_name is not None and " ".join(full_name.split()) != user.full_name:
        user.full_name, changed = " ".join(full_name.split()), [*changed, "full name"]
    if email is not None and _email(email) != user.email:
        user.email, changed = _email(email), [*changed, "email"]
    if password is not None:
        user.password_hash, changed = hash_password(password, user.name), [*changed, "password"]
    if active is not None and active != user.active:
        user.active, changed = active, [*changed, "enabled" if active else "disabled"]
    if morning_email is not None and morning_email != user.morning_email:
        user.morning_email, changed = morning_email, [*changed, "morning e-mail " + ("on" if morning_email else "off")]
    if user.morning_email and not user.email:
        raise InvalidInput(f"{user.name} has no e-mail address for the morning e-mail",
                           steps=[Step("give_email_or_no_morning_email", "give an e-mail address, or turn the morning e-mail off")])
    session.flush()
    if "password" in changed or "disabled" in changed:
        why = SessionEnd.DISABLED if "disabled" in changed else SessionEnd.PASSWORD_CHANGED
        end_user_sessions(session, user.id, why, dt.datetime.now(dt.UTC))
    return changed


def authorise(session: Session, name: str, office: Office, needed: UserRole) -> User:
    """The active user ``name`` of ``office`` if their role allows ``needed``; else NotPermitted.

    Every permission check, from either face, comes through here.
    """
    user = _user_named(session, name)
    if user is None or user.office_id != office.id:
        raise NotPermitted(f"{name!r} is not a user of {office.short_name}", steps=[Step("add_user", "an admin adds them")])
    if not user.active:
        raise NotPermitted(f"user {user.name!r} is disabled")
    if not user.role.includes(needed):
        raise NotPermitted(f"{user.name} is {_a(user.role)}; this needs {_a(needed)} or above")
    return user


def authorise_record(session: Session, name: str, record: object, needed: UserRole) -> User:
    """As authorise, for a change to (or a look at) one record: the user's role must allow
    ``needed`` and the record must be their office's. Another office's record raises OutsideOffice,
    a NotFound, so that nobody learns from a refusal that a record exists.
    """
    user = _user_named(session, name)
    if user is None:
        raise NotPermitted(f"{name!r} is not a user", steps=[Step("add_user", "an admin adds them")])
    authorise(session, name, user.office, needed)
    if not belongs_to(record, user.office):
        raise OutsideOffice(f"no {_noun(record)} {getattr(record, 'id', '')}".strip())
    return user


def belongs_to(record: object, office: Office) -> bool:
    """Whether ``record`` is one of ``office``'s: its letters, meetings and their actions, users and
    role holders, and the inspections it answers (its force's and national ones) with their findings."""
    if isinstance(record, (Letter, Meeting, User)):
        return record.office_id == office.id
    if isinstance(record, RoleHolder):
        return record.office_id == office.id
    if isinstance(record, Action):
        return record.meeting.office_id == office.id
    if isinstance(record, Inspection):
        return concerns_office(record, office)
    if isinstance(record, ImprovementArea):
        return concerns_office(record.inspection, office)
    if isinstance(record, ForceUpdate):
        return concerns_office(record.area.inspection, office)
    if isinstance(record, Office):
        return record.id == office.id
    raise TypeError(f"no office rule for {type(record).__name__}")


def _noun(record: object) -> str:
    return {"ImprovementArea": "finding", "ForceUpdate": "update", "RoleHolder": "role holder"}.get(
        type(record).__name__, type(record).__name__.lower()
    )


def hash_password(password: str, name: str = "") -> str:
    """An argon2id hash of an acceptable password; the password itself is never stored."""
    from argon2 import PasswordHasher

    check_new_password(password, name)
    return PasswordHasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's and they are enabled. Constant-time in argon2."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    if not user.active or not user.password_hash:
        return False
    try:
        return PasswordHasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _a(role: UserRole) -> str:
    return ("an " if role.value[0] in "aeiou" else "a ") + role.value


def _login_name(name: str) -> str:
    login = name.strip().lower()
    if not NAME_PATTERN.fullmatch(login):
        raise InvalidInput(
            f"user name {name!r}: use letters, digits, '.', '-' or '_' (at most 100), e.g. jsmith or j.smith"
        )
    return login


def _email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) or len(email) > 320:
        raise InvalidInput(f"{email!r} is not an e-mail address", field="email", value=email)
    return email


def _user_named(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))


def require_role(session: Session, office: Office, needed: UserRole, *, always: bool = False) -> User | None:
    """The acting user, if allowed to do what needs ``needed`` for ``office``; else NotPermitted.

    Unless ``always``, an office with no users at all is not checked (it returns None): the tool
    then serves one person, as it did before users existed.
    """
    if not always and not session.scalar(select(exists().where(User.office_id == office.id))):
        return None
    return authorise(session, current_actor(), office, needed)
