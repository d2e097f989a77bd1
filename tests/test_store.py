"""Opening databases, migrations, and the command line's own behaviour."""

import warnings

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from correspondence.cli import app
from tests.conftest import Cli, assert_clean_error, snapshot, table_names


def test_missing_database_folder_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(app, ["letter", "list", "--db", str(tmp_path / "no" / "such" / "corr.db")])
    assert_clean_error(result, "database folder", "does not exist")
    assert not (tmp_path / "no").exists()


def test_unreachable_postgresql_is_one_clear_line():
    result = CliRunner().invoke(app, ["office", "list", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert_clean_error(result, "cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CORR_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    assert CliRunner().invoke(app, ["force", "add", "Kent Police"]).exit_code == 0
    assert (tmp_path / "env.db").is_file()


def test_init_creates_schema_and_is_repeatable(db_url):
    runner = CliRunner()
    first = runner.invoke(app, ["init", "--db", db_url])
    assert first.exit_code == 0 and "created or upgraded" in first.stdout and "11 shipped role holders added" in first.stdout
    assert {"offices", "letters", "events", "issued_references", "alembic_version"} <= table_names(db_url)
    second = runner.invoke(app, ["init", "--db", db_url])
    assert "already up to date" in second.stdout and "0 shipped role holders added" in second.stdout


def test_only_init_and_example_create_a_database(tmp_path, monkeypatch):
    """The README's 'corr init --db office.db' followed by plain commands used to start a second,
    empty correspondence.db and print '(none)'; now the plain command says what it looked for."""
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["init", "--db", "office.db"]).exit_code == 0
    result = CliRunner().invoke(app, ["office", "list"])
    assert_clean_error(result, f"no database at {tmp_path / 'correspondence.db'}", "the default", "corr init",
                       "--db, CORR_DATABASE_URL or 'corr config set db")
    assert not (tmp_path / "correspondence.db").exists()
    named = CliRunner().invoke(app, ["letter", "list", "--db", str(tmp_path / "typo.db")])
    assert_clean_error(named, f"no database at {tmp_path / 'typo.db'} (--db)", "corr init --db")
    assert not (tmp_path / "typo.db").exists()


def test_an_empty_postgresql_database_is_not_filled_by_an_ordinary_command(db_url):
    result = CliRunner().invoke(app, ["office", "list", "--db", db_url])
    assert_clean_error(result, "corr init")
    assert "letters" not in table_names(db_url)


def test_an_older_database_is_still_upgraded_by_any_command(db_url):
    from alembic import command

    from correspondence.records.store import Store, _alembic_config

    store = Store(db_url)
    config = _alembic_config()
    with store.engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    store.dispose()
    assert CliRunner().invoke(app, ["office", "list", "--db", db_url]).exit_code == 0
    assert "annex_requests" in table_names(db_url)


def test_migrations_match_the_models(db_url):
    """The schema the migrations build is the schema the models describe: nothing drifts."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from correspondence.records.models import EXPRESSION_INDEXES, Base
    from correspondence.records.store import open_store
    from correspondence.register.search import is_search_object

    store = open_store(db_url)
    with store.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, type_, parent: not is_search_object(name) and name not in EXPRESSION_INDEXES,
                              "compare_type": True}
        )
        differences = compare_metadata(context, Base.metadata)
    store.dispose()
    assert differences == []


def test_migrations_downgrade_to_nothing_and_back(db_url):
    from alembic import command

    from correspondence.records.store import Store, _alembic_config

    store = Store(db_url)
    store.migrate()
    config = _alembic_config()
    with store.engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert table_names(db_url) <= {"alembic_version"}
    assert store.migrate() is True
    assert "letters" in table_names(db_url)
    store.dispose()


COMMANDS = [
    [], ["init"], ["example"], ["history"],
    ["office"], ["office", "add"], ["office", "list"], ["office", "show"],
    ["force", "add"], ["force", "list"],
    ["inspection", "add"], ["inspection", "list"], ["inspection", "show"],
    ["letter", "log"], ["letter", "list"], ["letter", "show"], ["letter", "delete"],
    ["role", "add"], ["role", "list"], ["role", "who"],
    ["office", "set"], ["letter", "sent"], ["letter", "import"], ["letter", "export"], ["letter", "supersede"],
    ["inspection", "import"], ["draft", "response"], ["draft", "followup"], ["draft", "annex"],
    ["template", "check"], ["template", "context"], ["meeting", "add"], ["meeting", "list"], ["meeting", "show"],
    ["update", "add"], ["annex", "request"], ["annex", "import"], ["action", "add"], ["action", "update"], ["action", "list"],
    ["due"], ["backup"], ["export"], ["restore"],
    ["answer", "add"], ["answer", "list"], ["line", "add"], ["line", "set"], ["line", "list"], ["line", "show"],
    ["line", "remove"], ["office", "address", "add"], ["office", "address", "list"],
    ["invite"], ["chase"], ["comments", "add"], ["publish"], ["letter", "submit"], ["letter", "approve"],
    ["serve"], ["remind"], ["mail", "set"], ["mail", "show"], ["owner", "set"], ["owner", "clear"], ["owner", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "corr")
def test_every_command_has_help(command):
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


@pytest.mark.parametrize("command", [c for c in COMMANDS if c and c[-1] in {"list", "show", "add", "log", "who", "example", "history"}
                                     and c != ["letter", "delete"]], ids=lambda c: " ".join(c))
def test_listing_and_showing_commands_offer_json_and_db(command):
    help_text = CliRunner(env={"COLUMNS": "200"}).invoke(app, [*command, "--help"]).stdout
    assert "--json" in help_text and "--db" in help_text


def test_the_cli_starts_without_loading_the_database_layer():
    import subprocess
    import sys

    code = "import sys; import correspondence.cli; print('sqlalchemy' in sys.modules, 'docxtpl' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False False"


def test_the_schema_head_the_tool_checks_against_is_the_newest_migration():
    """Commands compare the database's revision with store.SCHEMA_HEAD instead of asking Alembic;
    a new migration that forgot to move it would leave every database unmigrated."""
    from alembic.script import ScriptDirectory

    from correspondence.records.store import SCHEMA_HEAD, _alembic_config

    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == SCHEMA_HEAD


def test_a_database_a_newer_version_upgraded_is_refused_in_one_line_and_left_alone(cli: Cli, db_url: str) -> None:
    """An office upgrades the server; a colleague's older copy of corr opens the same database. It
    must say so, not show Alembic's traceback, and must change nothing."""
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    before = snapshot(db_url)
    for command in (["due"], ["init"], ["letter", "list"]):
        result = cli(*command)
        assert_clean_error(result, "is at schema revision 0999, newer than this version of correspondence knows",
                           "nothing was changed", "upgrade correspondence here")
    assert snapshot(db_url) == before


def test_a_read_command_on_a_migrated_store_does_not_load_alembic_or_build_other_commands(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'corr.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    code = (
        "import sys\nfrom correspondence.cli import main\n"
        f"sys.argv = ['corr', 'due', '--json', '--db', {url!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('alembic' in sys.modules, 'correspondence.cli.letter' in sys.modules, 'rich' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert result.stderr.strip() == "False False False"


def test_a_letter_is_found_by_its_reference_through_an_index(db_url):
    """letter show REF at 100,000 letters: the lookup (case and spaces ignored) must not read every letter."""
    from sqlalchemy import select

    from correspondence.records.models import Letter
    from correspondence.records.store import open_store
    from correspondence.register.letters import reference_key_of

    store = open_store(db_url)
    query = select(Letter.id).where(reference_key_of(Letter.reference) == "MOPAC06092018-D2188")
    with store.engine.connect() as connection:
        sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        if connection.dialect.name == "sqlite":
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # an empty table would be scanned anyway
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))
    store.dispose()
    assert "ix_letters_reference_key" in plan, plan
