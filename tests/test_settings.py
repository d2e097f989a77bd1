"""Settings in corr.toml, so --db is not needed on every command (and never splits data in two)."""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from correspondence.cli import app
from tests.conftest import assert_clean_error


def corr(*args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(app, list(args))


def test_a_folder_setting_is_used_by_every_command_beneath_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    created = corr("init", "--db", "office.db")
    assert "corr config set db office.db" in created.stdout
    assert "saved in" in corr("config", "set", "db", "office.db").stdout
    assert corr("force", "add", "Kent Police").exit_code == 0
    (tmp_path / "drafts").mkdir()
    monkeypatch.chdir(tmp_path / "drafts")  # a folder beneath: the same database
    assert [f["name"] for f in json.loads(corr("force", "list", "--json").stdout)] == ["Kent Police"]
    assert not (tmp_path / "correspondence.db").exists() and not (tmp_path / "drafts" / "correspondence.db").exists()
    shown = json.loads(corr("config", "show", "--json").stdout)
    assert shown["db"] == str(tmp_path / "office.db") and shown["db_from"] == f"db in {tmp_path / 'corr.toml'}"
    assert shown["letters"] == str(tmp_path / "letters")  # beside corr.toml, wherever the command runs
    corr("office", "add", "--name", "Kent OPCC", "--short", "KENT")
    assert json.loads(corr("office", "show", "KENT", "--json").stdout)["mirror_folder"] is None  # files are kept in the store


def test_db_and_the_environment_come_before_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a.db", "b.db", "c.db"):
        corr("init", "--db", name)
    corr("config", "set", "db", "a.db")
    corr("force", "add", "In A")
    monkeypatch.setenv("CORR_DATABASE_URL", str(tmp_path / "b.db"))
    corr("force", "add", "In B")
    corr("force", "add", "In C", "--db", str(tmp_path / "c.db"))
    monkeypatch.delenv("CORR_DATABASE_URL")
    for name, force in (("a.db", "In A"), ("b.db", "In B"), ("c.db", "In C")):
        listed = json.loads(corr("force", "list", "--json", "--db", str(tmp_path / name)).stdout)
        assert [f["name"] for f in listed] == [force]


def test_a_users_own_settings_apply_everywhere_a_folder_has_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corr("init", "--db", str(tmp_path / "mine.db"))
    assert corr("config", "set", "db", str(tmp_path / "mine.db"), "--user").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert corr("office", "list").exit_code == 0
    user_file = os.path.join(os.environ["CORR_CONFIG_DIR"], "corr.toml")  # the tests' stand-in for ~/.config/corr
    assert json.loads(corr("config", "show", "--json").stdout)["db_from"] == f"db in {user_file}"
    corr("config", "unset", "db", "--user")
    assert_clean_error(corr("office", "list"), "no database at", "corr init")


def test_bad_settings_are_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corr.toml").write_text("db = office.db\n", encoding="utf-8")
    assert_clean_error(corr("office", "list"), "corr.toml: not a valid settings file")
    (tmp_path / "corr.toml").write_text('colour = "blue"\n', encoding="utf-8")
    assert_clean_error(corr("office", "list"), "unknown setting 'colour'; known: db, letters")
    assert_clean_error(corr("config", "set", "colour", "blue"), "unknown setting 'colour'")
    assert_clean_error(corr("config", "unset", "db", "--user"), "no settings file here")
