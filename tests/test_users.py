"""Users of an office: adding, listing, roles, passwords, and who may do what."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, select

from correspondence.cli import app
from correspondence.organisation.users import authorise, check_password, get_user
from correspondence.records.errors import NotPermitted
from correspondence.records.models import Event
from correspondence.records.store import acting_as, open_store
from correspondence.records.vocabulary import UserRole
from tests.conftest import Cli, assert_clean_error

PASSWORD = "correct horse battery"


@pytest.fixture
def office_cli(cli: Cli) -> Cli:
    cli.ok("office", "add", "--short", "MOPAC", "--name", "Mayor's Office for Policing and Crime")
    cli.ok("office", "add", "--short", "KENT", "--name", "Kent Police and Crime Commissioner")
    return cli


def test_a_user_added_with_a_password_can_log_in_and_the_list_says_so(office_cli: Cli) -> None:
    result = office_cli.runner.invoke(
        app,
        ["user", "add", "JSmith", "--office", "MOPAC", "--role", "drafter", "--full-name", "Jo  Smith",
         "--password-stdin", "--db", office_cli.db_url],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "added jsmith to MOPAC as drafter" in result.stdout
    office_cli.ok("user", "add", "pat", "--office", "MOPAC", "--role", "approver")
    listed = {u["name"]: u for u in office_cli.json("user", "list", "--office", "MOPAC")}
    assert listed["jsmith"]["full_name"] == "Jo Smith" and listed["jsmith"]["can_log_in"] is True
    assert listed["pat"]["can_log_in"] is False  # no password: command line only
    store = open_store(office_cli.db_url)
    with store.transaction() as session:
        user = get_user(session, "JSMITH")
        assert check_password(user, PASSWORD)
        assert not check_password(user, PASSWORD + "x")


def test_the_event_log_never_holds_the_password_hash(office_cli: Cli) -> None:
    office_cli.runner.invoke(app, ["user", "add", "jo", "--office", "MOPAC", "--role", "admin", "--password-stdin",
                                   "--db", office_cli.db_url], input=PASSWORD + "\n")
    engine = create_engine(office_cli.db_url)
    with engine.connect() as connection:
        logged = [row.data for row in connection.execute(select(Event).where(Event.entity == "users"))]
    engine.dispose()
    assert logged and logged[0]["password_hash"] == "(set)"
    assert "argon2" not in json.dumps(logged)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["user", "add", "jo smith", "--office", "MOPAC", "--role", "drafter"], "user name 'jo smith'"),
        (["user", "add", "jo", "--office", "NOPE", "--role", "drafter"], "NOPE"),
        (["user", "add", "jo", "--office", "MOPAC", "--role", "boss"], "--role: unknown user role 'boss'"),
        (["user", "add", "jo", "--office", "MOPAC", "--role", "viewer", "--email", "not-an-address"], "email"),
        (["user", "set", "nobody", "--role", "admin"], "no user named 'nobody'"),
        (["user", "disable", "nobody"], "no user named 'nobody'"),
    ],
)
def test_bad_user_commands_get_one_line_and_store_nothing(office_cli: Cli, args: list[str], fragment: str) -> None:
    before = office_cli.json("user", "list")
    assert_clean_error(office_cli(*args), fragment)
    assert office_cli.json("user", "list") == before


def test_a_short_password_or_a_second_user_of_the_same_name_is_refused(office_cli: Cli) -> None:
    short = office_cli.runner.invoke(app, ["user", "add", "jo", "--office", "MOPAC", "--role", "drafter",
                                           "--password-stdin", "--db", office_cli.db_url], input="short\n")
    assert_clean_error(short, "at least 10 characters")
    office_cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    assert_clean_error(office_cli("user", "add", "JO", "--office", "KENT", "--role", "drafter"), "already exists")


def test_roles_include_the_ones_below_and_disabled_or_other_office_users_may_do_nothing(office_cli: Cli) -> None:
    office_cli.ok("user", "add", "viewer1", "--office", "MOPAC", "--role", "viewer")
    office_cli.ok("user", "add", "approver1", "--office", "MOPAC", "--role", "approver")
    office_cli.ok("user", "add", "kentadmin", "--office", "KENT", "--role", "admin")
    store = open_store(office_cli.db_url)
    with store.transaction() as session:
        from correspondence.organisation.offices import get_office

        mopac = get_office(session, "MOPAC")
        assert authorise(session, "approver1", mopac, UserRole.DRAFTER).name == "approver1"
        assert authorise(session, "approver1", mopac, UserRole.APPROVER).name == "approver1"
        with pytest.raises(NotPermitted, match="approver; this needs an admin or above"):
            authorise(session, "approver1", mopac, UserRole.ADMIN)
        with pytest.raises(NotPermitted, match="viewer; this needs a drafter or above"):
            authorise(session, "viewer1", mopac, UserRole.DRAFTER)
        with pytest.raises(NotPermitted, match="not a user of MOPAC"):
            authorise(session, "kentadmin", mopac, UserRole.VIEWER)
    office_cli.ok("user", "disable", "approver1")
    with store.transaction() as session:
        with pytest.raises(NotPermitted, match="disabled"):
            authorise(session, "approver1", get_office(session, "MOPAC"), UserRole.VIEWER)
    assert office_cli.json("user", "list", "--office", "MOPAC")[0]["can_log_in"] is False
    office_cli.ok("user", "set", "approver1", "--enable", "--role", "admin")
    with store.transaction() as session:
        assert authorise(session, "approver1", get_office(session, "MOPAC"), UserRole.ADMIN).role is UserRole.ADMIN


def test_changes_made_while_acting_as_a_user_are_logged_as_theirs(office_cli: Cli) -> None:
    store = open_store(office_cli.db_url)
    with acting_as("jsmith"), store.transaction() as session:
        from correspondence.organisation.offices import get_office

        get_office(session, "KENT").signatory_name = "Matthew Scott"
    events = office_cli.json("history", "--entity", "offices", "--limit", "1")
    assert events[0]["actor"] == "jsmith" and events[0]["change"] == "update"


def test_an_office_keeps_its_last_admin(office_cli: Cli) -> None:
    office_cli.ok("user", "add", "boss", "--office", "MOPAC", "--role", "admin")
    assert_clean_error(office_cli("user", "disable", "boss"), "boss is MOPAC's last admin; make someone else an admin first")
    assert_clean_error(office_cli("user", "set", "boss", "--role", "drafter"), "boss is MOPAC's last admin")
    office_cli.ok("user", "add", "deputy", "--office", "MOPAC", "--role", "admin")
    office_cli.ok("user", "set", "boss", "--role", "drafter")
