"""Hostile input: every attempt of issue 8, run on SQLite and PostgreSQL, as a user would meet it.

One row per attempt, so the number of attempts held can only go up. Each row says what the
attacker (or bad luck) does and what a user must see: a clean one-line error with nothing stored,
or the command doing its job with the letter's text intact (read back with python-docx), or, for
raw SQL typed at the database, the database refusing and every row unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.conftest import Cli, assert_clean_error, snapshot, write
from tests.docx_reading import read_letter

SENT = "MOPAC06092018-D2188"  # the example's letter, marked sent by prepare=sent


@dataclass(frozen=True)
class Attempt:
    """What is tried (``args``, with {tmp} for the test's folder) and what a user must see.

    expect: "refused" (one clean error line, exit 1, nothing stored), "held" (exit 0), "sql"
    (``sql`` typed at the database is refused and nothing changes) or "reported" (exit 1 with the
    problems listed, as `template check` does). ``then`` checks what the user notices afterwards.
    """

    args: tuple[str, ...] = ()
    expect: str = "refused"
    says: tuple[str, ...] = ()
    prepare: tuple[Callable[[Cli, Path], Any], ...] = ()
    then: Callable[[Cli, Path, Any], None] | None = None
    sql: dict[str, str] = field(default_factory=dict)  # dialect -> statement, {id} etc. filled by sql_values
    only: str | None = None  # "sqlite" or "postgresql" when the attempt exists on one database only
    db: bool = True  # pass --db (template check takes none)
    stores_nothing: bool = True
    run: Callable[[Cli, Path, Attempt], Any] | None = None  # instead of one plain command


# --- preparing the ground ---------------------------------------------------------------------


def example(cli: Cli, tmp: Path) -> None:
    cli.ok("example")


def sent(cli: Cli, tmp: Path) -> None:
    cli.ok("letter", "sent", SENT, "--date", "7/9/2018")


def template(name: str, *paragraphs: str, title: str | None = None, footer: str | None = None) -> Callable[[Cli, Path], None]:
    def make(cli: Cli, tmp: Path) -> None:
        document = Document()
        for text in paragraphs:
            document.add_paragraph(text)
        if title:
            document.core_properties.title = title
        if footer:
            document.sections[0].footer.paragraphs[0].text = footer
        document.save(str(tmp / name))

    return make


def docx_with(name: str, change: Callable[[bytes], bytes], *lines: str) -> Callable[[Cli, Path], None]:
    """A real .docx whose document.xml is then altered (a DOCTYPE, a bomb)."""

    def make(cli: Cli, tmp: Path) -> None:
        plain = tmp / f"plain-{name}"
        document = Document()
        for line in lines or ("Date: 01/06/2022", "Dear Sophie", "Thank you.", "Yours sincerely", "Sir Steve House", "Commissioner"):
            document.add_paragraph(line)
        document.save(str(plain))
        with zipfile.ZipFile(plain) as source, zipfile.ZipFile(tmp / name, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                target.writestr(item.filename, change(data) if item.filename == "word/document.xml" else data)
        plain.unlink()

    return make


def with_doctype(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&who;", 1)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY who "Sir Steve">]>' + body


def billion_laughs(data: bytes) -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    body = data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&lol9;", 1)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [' + entities.encode() + b"]>" + body


def zip_bomb(data: bytes) -> bytes:
    """60 MB of XML (a comment of spaces) that deflates to about 60 KB."""
    return data.replace(b"</w:body>", b"<!--" + b" " * (60 * 1024 * 1024) + b"--></w:body>")


def a_file(name: str, content: str | bytes) -> Callable[[Cli, Path], None]:
    def make(cli: Cli, tmp: Path) -> None:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return make


def run(*args: str) -> Callable[[Cli, Path], None]:
    def command(cli: Cli, tmp: Path) -> None:
        cli.ok(*(arg.replace("{tmp}", str(tmp)) for arg in args))

    return command


GOOD_REPLY = "Date: 01/06/2022\n\nDear Sophie\n\nStop & search: an update.\n\nYours sincerely\n\nSir Steve House\nCommissioner\n"
INSPECTION = """force: Metropolitan Police Service
programme: {programme}
title: {title}
published: {published}
recommendations:
  - text: Record every crime within 24 hours.
"""


def inspection_file(name: str, title: str = "PEEL 2023 & more", published: str = "1 March 2023", programme: str = "PEEL") -> Callable[[Cli, Path], None]:
    return a_file(name, INSPECTION.format(title=json.dumps(title), published=published, programme=programme))


MEETING = """office: MOPAC
title: {title}
held_on: {held_on}
themes: [{theme}]
actions:
  - action: {action}
"""


def meeting_file(name: str, title: str = "Board", held_on: str = "1 June 2022", theme: str = '"Trust"', action: str = '"Share the plan."') -> Callable[[Cli, Path], None]:
    return a_file(name, MEETING.format(title=title, held_on=held_on, theme=theme, action=action))


# --- what the user sees afterwards -----------------------------------------------------------------


def drafted(result: Any) -> Any:
    return read_letter(Path(json.loads(result.stdout)["file"]))


def letter_reads(*expected: str, absent: tuple[str, ...] = ()) -> Callable[[Cli, Path, Any], None]:
    """The drafted letter, read back part by part, holds each text whole (with & < > " intact)."""

    def check(cli: Cli, tmp: Path, result: Any) -> None:
        letter = drafted(result)
        everything = letter.text + "\n" + "\n".join("\t".join(row) for table in letter.tables for row in table)
        for text in expected:
            assert text in everything, f"{text!r} is not in the letter"
        for text in absent:
            assert text not in everything, f"{text!r} is in the letter"
        assert "stop  search" not in everything and "Stop  search" not in everything

    return check


def no_file(name: str) -> Callable[[Cli, Path, Any], None]:
    def check(cli: Cli, tmp: Path, result: Any) -> None:
        assert not (tmp / name).exists(), f"the template ran code: {name} exists"
        assert sorted(p.name for p in (tmp / "letters").iterdir() if p.suffix == ".docx") == [f"{SENT}.docx"]

    return check


def reference_still_spent(cli: Cli, tmp: Path, result: Any) -> None:
    assert_clean_error(cli("letter", "log", "--office", "MOPAC", "--ref", SENT, "--date", "7/9/2018"), "never reused")
    assert cli.json("letter", "show", SENT)["status"] == "sent"


def export_is_inert(cli: Cli, tmp: Path, result: Any) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(tmp / "register.xlsx")["Register"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    assert cells and all(cell.data_type == "s" for cell in cells)
    with zipfile.ZipFile(tmp / "register.xlsx") as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    values = {cell.value for cell in cells}
    assert "'=HYPERLINK(\"http://evil.example/\",\"Click\")" in values
    assert "'=cmd|' /C calc'!A0" in values
    assert {"'+SUM(1;2)", "'-2+3", "'@SUM(1)", "'\tpadded"} <= values


def csv_is_inert(cli: Cli, tmp: Path, result: Any) -> None:
    with (tmp / "register.csv").open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in list(csv.reader(handle))[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "'=HYPERLINK(\"http://evil.example/\",\"Click\")" in cells and "'=cmd|' /C calc'!A0" in cells


def letter_unchanged(cli: Cli, tmp: Path, result: Any) -> None:
    path = tmp / "letters" / f"{SENT}.docx"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == cli.json("letter", "show", SENT)["file_sha256"]


def counter_intact(cli: Cli, tmp: Path, result: Any) -> None:
    draft = json.loads(cli.ok("draft", "annex", "1", "--office", "MOPAC", "--json").stdout)
    assert draft["reference"].endswith("-D2189"), draft["reference"]


def title_cut_for_word(cli: Cli, tmp: Path, result: Any) -> None:
    letter = drafted(result)
    title = letter.document.core_properties.title
    assert len(title) <= 255 and title.endswith("– position on the findings") and len(title.split()) <= 16  # the subject, short
    assert "Long & winding " * 20 in letter.text  # the letter itself keeps the whole title


def stored_clean(field_path: tuple[str, ...], expected: str, *command: str) -> Callable[[Cli, Path, Any], None]:
    def check(cli: Cli, tmp: Path, result: Any) -> None:
        value: Any = cli.json(*command)
        for key in field_path:
            value = value[key]
        assert value == expected

    return check


def both(*checks: Callable[[Cli, Path, Any], None]) -> Callable[[Cli, Path, Any], None]:
    def check(cli: Cli, tmp: Path, result: Any) -> None:
        for one in checks:
            one(cli, tmp, result)

    return check


# --- attempts that need more than one command ----------------------------------------------------


def batch_goes_on(bad: str, message: str) -> Callable[[Cli, Path, Attempt], Any]:
    """A bad file in a `letter import` batch is reported in one line; the good one is stored."""

    def attempt(cli: Cli, tmp: Path, _: Attempt) -> Any:
        write(tmp / "good.txt", GOOD_REPLY)
        result = cli("letter", "import", str(tmp / bad), str(tmp / "good.txt"), "--direction", "in")
        assert_clean_error(result, f"{tmp / bad}: ", message)
        assert "1 of 2 letters stored" in result.stdout
        letters = cli.json("letter", "list", "--direction", "in")
        assert any(letter["sender"] == "Sir Steve House, Commissioner" and letter["date"] == "2022-06-01" for letter in letters)
        return result

    return attempt


def holding_the_write_lock(cli: Cli) -> Callable[[], None]:
    """Another user's change in progress, not committed: returns how to end it."""
    if cli.db_url.startswith("sqlite"):
        connection = sqlite3.connect(cli.db_url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE offices SET name = name WHERE short_name = 'MOPAC'")
        connection.execute("UPDATE reference_counters SET last_value = last_value")
        return lambda: (connection.execute("ROLLBACK"), connection.close())
    import psycopg

    connection = psycopg.connect(_pg_dsn(cli.db_url), application_name="alice drafting in Word")
    connection.execute("UPDATE offices SET name = name WHERE short_name = 'MOPAC'")
    connection.execute("UPDATE reference_counters SET last_value = last_value")
    return lambda: (connection.rollback(), connection.close())


def behind_a_writer(*args: str) -> Callable[[Cli, Path, Attempt], Any]:
    def attempt(cli: Cli, tmp: Path, _: Attempt) -> Any:
        release = holding_the_write_lock(cli)
        try:
            return cli(*args)
        finally:
            release()

    return attempt


def every_kind_of_letter(cli: Cli, tmp: Path) -> Any:
    """The response, the follow-up and the annex each read back whole."""
    address = ("City Hall", "Kamal Chunchie Way", "London <E16 1ZE>")
    response_after_the_move = ("draft", "response", "1", "--office", "MOPAC", "--date", "4/5/2022", "--json")
    for args, expected in ((response_after_the_move, address), (DRAFT_FOLLOWUP, address), (("draft", "annex", "1", "--office", "MOPAC", "--json"), ())):
        result = cli.ok(*args)
        letter_reads("Mayor's Office for Policing & Crime", *expected, absent=("\x1f",))(cli, tmp, result)
    return result


def readers_behind_a_writer(cli: Cli, tmp: Path, _: Attempt) -> Any:
    """Nobody's reading waits for anyone's writing: every command that only reads runs at once."""
    release = holding_the_write_lock(cli)
    try:
        results = {" ".join(args): cli(*args) for args in READ_ONLY}
    finally:
        release()
    failed = {args: result.output for args, result in results.items() if result.exit_code != 0}
    assert not failed, failed
    return results["letter list"]


def racing_letter_sent(cli: Cli, tmp: Path, _: Attempt) -> Any:
    """Two people mark the same draft sent at once: the first wins, the second gets one line."""
    from correspondence.process.sending import mark_sent
    from correspondence.records.store import Store
    from correspondence.register.letters import get_letter

    store = Store(cli.db_url)
    outcome: dict[str, Any] = {}
    os.environ["CORR_LOCK_WAIT"] = "60"
    try:
        with store.transaction() as session:
            import datetime as dt

            mark_sent(session, get_letter(session, SENT), dt.date(2018, 9, 7), dt.date.today())
            second = threading.Thread(target=lambda: outcome.setdefault("result", cli("letter", "sent", SENT, "--date", "8/9/2018")))
            second.start()
            if cli.db_url.startswith("postgresql"):
                _wait_until_blocked(cli.db_url)  # the second is queued behind our row lock
        second.join(120)
    finally:
        os.environ.pop("CORR_LOCK_WAIT", None)
        store.dispose()
    return outcome["result"]


def _wait_until_blocked(db_url: str) -> None:
    import time

    import psycopg

    with psycopg.connect(_pg_dsn(db_url), autocommit=True) as watcher:
        for _ in range(1200):
            # This test's database only: other tests (a parallel worker, another run on the same
            # server) may be waiting for locks of their own.
            if watcher.execute("SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid) "
                               "WHERE NOT granted AND datname = current_database()").fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second 'letter sent' never waited for the first")


def _pg_dsn(db_url: str) -> str:
    return db_url.replace("postgresql+psycopg://", "postgresql://")


def raw_sql(cli: Cli, tmp: Path, attempt: Attempt) -> Any:
    """Type the statement at the database with its ordinary client, outside the tool."""
    dialect = "postgresql" if cli.db_url.startswith("postgresql") else "sqlite"
    if dialect not in attempt.sql:
        pytest.skip(f"this attempt is a {', '.join(attempt.sql)} one")
    if dialect == "sqlite":
        connection = sqlite3.connect(cli.db_url.removeprefix("sqlite:///"), isolation_level=None)
        values = _row_values(connection.execute)
        try:
            with pytest.raises(sqlite3.DatabaseError) as refused:
                connection.execute(attempt.sql[dialect].format(**values))
        finally:
            connection.close()
    else:
        import psycopg

        with psycopg.connect(_pg_dsn(cli.db_url), autocommit=True) as connection:
            values = _row_values(lambda sql: connection.execute(sql))
            with pytest.raises(psycopg.Error) as refused:
                connection.execute(attempt.sql[dialect].format(**values))
    for fragment in attempt.says:
        assert fragment in str(refused.value)
    return None


def _row_values(execute: Callable[[str], Any]) -> dict[str, Any]:
    letter = execute("SELECT id, office_id FROM letters ORDER BY status = 'sent' DESC, id").fetchone()
    draft = execute("SELECT max(id) FROM letters WHERE status <> 'sent'").fetchone()
    ledger = execute("SELECT id, office_id, reference, reference_key FROM issued_references WHERE reference = 'MOPAC06092018-D2188'").fetchone()
    event = execute("SELECT min(id) FROM events").fetchone()
    return {"letter": letter[0], "office": letter[1], "draft": draft[0], "ledger": ledger[0], "key": ledger[3], "event": event[0]}


def bigger_than(name: str, megabytes: int, line: str) -> Callable[[Cli, Path], None]:
    def make(cli: Cli, tmp: Path) -> None:
        with (tmp / name).open("w", encoding="utf-8") as handle:
            handle.write(line * (megabytes * 1024 * 1024 // len(line) + 1))

    return make


LAUGHS_YAML = (
    "force: Metropolitan Police Service\nprogramme: PEEL\ntitle: Bomb\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
    + "published: *i\n"
)
LONG_TITLE = "Long & winding " * 30
EVIL = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"
DRAFT_RESPONSE = ("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--json")
DRAFT_FOLLOWUP = ("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022", "--json")
CONTROL = {"vertical tab (Word's line break)": "\x0b", "unit separator": "\x1f", "backspace": "\x08", "form feed": "\x0c"}

ATTEMPTS: dict[str, Attempt] = {
    # 1. Templates run code
    "template runs a shell command through cycler.__init__.__globals__": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox", "'__init__'"),
        prepare=(example, template("evil.docx", "Dear {{ salutation }}", EVIL)), then=no_file("PWNED")),
    "template reads the environment through lipsum.__globals__": Attempt(
        ("draft", "response", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox", "'__globals__'"),
        prepare=(example, template("evil.docx", "{{ lipsum.__globals__['os'].environ }}")), then=no_file("PWNED")),
    "template code hidden in the footer": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox",),
        prepare=(example, template("evil.docx", "Dear {{ salutation }}", footer=EVIL)), then=no_file("PWNED")),
    "template code hidden in the document title": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox",),
        prepare=(example, template("evil.docx", "Dear {{ salutation }}", title=EVIL)), then=no_file("PWNED")),
    "template reaches __class__ through the attr filter": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox", "'__class__'"),
        prepare=(example, template("evil.docx", "{{ reference|attr('__class__') }}")), then=no_file("PWNED")),
    "template builds a 10 GB string": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox", "repeats"),
        prepare=(example, template("evil.docx", "{{ 'x' * 10000000000 }}")), then=no_file("PWNED")),
    "template pads text ten billion characters wide": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/evil.docx"), says=("refused by the sandbox",),
        prepare=(example, template("evil.docx", "{{ subject|center(10000000000) }}", "{{ '{:10000000000}'.format(reference) }}")),
        then=no_file("PWNED")),
    "template check of a template that runs code": Attempt(
        ("template", "check", "{tmp}/evil.docx"), expect="reported", db=False,
        says=("document line 3: unsafe attribute access '__init__'", "document line 3: unsafe attribute access '__globals__'"),
        prepare=(template("evil.docx", "Dear {{ salutation }}", EVIL),)),
    "template check of code in the footer and the title": Attempt(
        ("template", "check", "{tmp}/evil.docx"), expect="reported", db=False,
        says=("word/footer1.xml line 2: unsafe attribute access '__globals__'", "core property title line 1: unsafe attribute access '__init__'"),
        prepare=(template("evil.docx", "Hello", footer="{{ joiner.__init__.__globals__ }}", title=EVIL),)),
    # 2. Formula injection
    "formulas in a received letter, exported to Excel": Attempt(
        ("letter", "export", "--xlsx", "{tmp}/register.xlsx"), expect="held", then=export_is_inert,
        prepare=(example, run("letter", "log", "--office", "MOPAC", "--direction", "in", "--date", "1/6/2022",
                              "--subject", '=HYPERLINK("http://evil.example/","Click")', "--sender", "=cmd|' /C calc'!A0",
                              "--cc", "+SUM(1;2)", "--addressee", "-2+3", "--addressee-role", "@SUM(1)"),
                 run("letter", "log", "--office", "MOPAC", "--direction", "in", "--date", "2/6/2022", "--subject", "\tpadded"))),
    "formulas in a received letter, exported as CSV": Attempt(
        ("letter", "export", "--csv", "{tmp}/register.csv"), expect="held", then=csv_is_inert,
        prepare=(example, run("letter", "log", "--office", "MOPAC", "--direction", "in", "--date", "1/6/2022",
                              "--subject", '=HYPERLINK("http://evil.example/","Click")', "--sender", "=cmd|' /C calc'!A0",
                              "--cc", "\rCR", "--addressee", "@SUM(1)"))),
    # 3. The database's protections bypassed by ordinary SQL
    "SQLite INSERT OR REPLACE over a sent letter": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent), then=reference_still_spent, says=("sent letter cannot be changed",),
        sql={"sqlite": "INSERT OR REPLACE INTO letters (id, office_id, reference, direction, letter_date, sender, addressee_name, "
                       "addressee_role, addressee_address, cc, subject, kind, status, body_text, created_at) VALUES ({letter}, {office}, "
                       "'FORGED', 'out', '2018-09-07', '', '', '', '', '', 'forged', 'other', 'draft', '', '2018-09-07')"}),
    "SQLite UPDATE OR REPLACE moves a draft onto a sent letter": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent, run("draft", "annex", "1", "--office", "MOPAC")), then=reference_still_spent,
        sql={"sqlite": "UPDATE OR REPLACE letters SET id = {letter} WHERE id = {draft}"}, says=("id cannot be changed",)),
    "SQLite REPLACE frees a sent reference in the ledger": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent), then=reference_still_spent, says=("append-only",),
        sql={"sqlite": "REPLACE INTO issued_references (id, office_id, reference, reference_key, issued_at) "
                       "VALUES ({ledger}, {office}, 'FREED', 'FREED', '2018-09-07')"}),
    "SQLite INSERT OR REPLACE of a ledger row by its reference": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent), then=reference_still_spent, says=("append-only",),
        sql={"sqlite": "INSERT OR REPLACE INTO issued_references (office_id, reference, reference_key, issued_at) "
                       "VALUES ({office}, 'x', '{key}', '2018-09-07')"}),
    "SQLite INSERT OR REPLACE rewrites an event": Attempt(
        expect="sql", run=raw_sql, prepare=(example,), says=("events is append-only",),
        sql={"sqlite": "INSERT OR REPLACE INTO events (id, occurred_at, actor, entity, entity_id, change, data) "
                       "VALUES ({event}, '2018-01-01', 'mallory', 'letters', 1, 'create', '{{}}')"}),
    "PostgreSQL TRUNCATE of the ledger": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent), then=reference_still_spent, says=("append-only",),
        sql={"postgresql": "TRUNCATE issued_references"}),
    "PostgreSQL TRUNCATE of the event log": Attempt(
        expect="sql", run=raw_sql, prepare=(example,), says=("events is append-only",), sql={"postgresql": "TRUNCATE events"}),
    # CASCADE, because a plain TRUNCATE is already stopped by the tables that refer to letters
    # (annex requests, clearances) before the trigger is reached: this reaches the trigger.
    "PostgreSQL TRUNCATE of the letters": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent), then=reference_still_spent, says=("sent letters",),
        sql={"postgresql": "TRUNCATE letters CASCADE"}),
    "PostgreSQL TRUNCATE ... CASCADE from the offices": Attempt(
        expect="sql", run=raw_sql, prepare=(example, sent), then=reference_still_spent, sql={"postgresql": "TRUNCATE offices CASCADE"}),
    # 5. The calendar feed replacing other files
    "due --ics over a sent, read-only letter": Attempt(
        ("due", "--ics", f"{{tmp}}/letters/{SENT}.docx"), says=("is not a calendar written by corr",), prepare=(example, sent),
        then=letter_unchanged),
    "due --ics over the database itself": Attempt(
        ("due", "--ics", "{tmp}/corr.db"), says=("is not a calendar written by corr",), prepare=(example,), only="sqlite",
        then=lambda cli, tmp, result: cli.ok("letter", "list")),
    "due --ics over its own calendar": Attempt(
        ("due", "--ics", "{tmp}/s55.ics"), expect="held", prepare=(example, run("due", "--ics", "{tmp}/s55.ics")),
        then=lambda cli, tmp, result: (tmp / "s55.ics").read_text().startswith("BEGIN:VCALENDAR")),
    # 6. Control characters silently eating & < > "
    **{
        f"a {name} in a force's update": Attempt(
            DRAFT_RESPONSE, expect="held", stores_nothing=False,
            prepare=(example, run("update", "add", "1:A1", "--status", "in progress", "--date", "1/9/2018",
                                  "--text", f'Stop & search{character}now <weekly> "reviewed"')),
            then=letter_reads("Stop & search" + ("\n" if character in "\x0b\x0c" else "") + 'now <weekly> "reviewed"',
                              "Mayor's Office for Policing and Crime", absent=(character,)))
        for name, character in CONTROL.items()
    },
    "control characters in the subject, addressee and cc": Attempt(
        (*DRAFT_RESPONSE[:-1], "--subject", "Stop & search\x0b<review>", "--addressee", "A\x08 & B", "--cc", "C\x1f & \"D\"", "--json"),
        expect="held", stores_nothing=False, prepare=(example,),
        then=letter_reads("Stop & search\n<review>", "A & B", 'C & "D"')),
    "a pasted line break in one action, stop & search in another": Attempt(
        DRAFT_FOLLOWUP, expect="held", stores_nothing=False,
        prepare=(example, run("action", "add", "1", "--action", "Review\x0bthe <data> & \"notes\"", "--lead", "MPS\x1f")),
        then=letter_reads("Review\nthe <data> & \"notes\"", "handcuffing and stop & search data")),
    "a pasted line break in the office's address, in every kind of letter": Attempt(
        expect="held", stores_nothing=False,
        prepare=(example, run("office", "set", "MOPAC", "--name", "Mayor's Office for Policing & Crime\x1f",
                              "--address", "City Hall\x0bKamal Chunchie Way", "--address", "London <E16 1ZE>")),
        run=lambda cli, tmp, attempt: every_kind_of_letter(cli, tmp)),
    "a NUL and a form feed in a meeting file": Attempt(
        ("meeting", "add", "{tmp}/board.yaml", "--json"), expect="held", stores_nothing=False, prepare=(example,
            meeting_file("board.yaml", title='"Board\\0 & panel"', theme='"Trust\\f& confidence"', held_on="21 May 2022")),
        then=both(stored_clean(("title",), "Board & panel", "meeting", "show", "2"),
                  stored_clean(("themes",), ["Trust", "& confidence"], "meeting", "show", "2"))),
    "a NUL and a vertical tab in a returned annex": Attempt(
        ("annex", "import", "{tmp}/annex.csv", "--inspection", "1", "--date", "1/10/2018"), expect="held", stores_nothing=False,
        prepare=(example, a_file("annex.csv", "No.,Area,Status,Update\nA1,,complete,Done\x00 & checked\x0b<weekly>\n")),
        then=stored_clean(("areas", 0, "latest_update", "text"), "Done & checked <weekly>", "inspection", "show", "1")),
    # 9. Resource exhaustion
    "a zip bomb sent as a letter, in a batch": Attempt(
        expect="refused", stores_nothing=False, prepare=(example, docx_with("bomb.docx", zip_bomb)),
        run=batch_goes_on("bomb.docx", "would expand to 60 MB")),
    "a zip bomb as a report": Attempt(("inspection", "import", "{tmp}/bomb.docx"), says=("would expand to 60 MB",),
                                      prepare=(docx_with("bomb.docx", zip_bomb),)),
    "a zip bomb as a returned annex": Attempt(("annex", "import", "{tmp}/bomb.docx", "--inspection", "1"), says=("would expand to 60 MB",),
                                              prepare=(example, docx_with("bomb.docx", zip_bomb))),
    "a zip bomb as a template": Attempt(("draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}/bomb.docx"),
                                        says=("template", "would expand to 60 MB"), prepare=(example, docx_with("bomb.docx", zip_bomb))),
    "a zip bomb to template check": Attempt(("template", "check", "{tmp}/bomb.docx"), db=False, says=("would expand to 60 MB",),
                                            prepare=(docx_with("bomb.docx", zip_bomb),)),
    "a YAML alias bomb in published:": Attempt(("inspection", "add", "{tmp}/bomb.yaml"), says=("bomb.yaml line", "alias"),
                                              prepare=(a_file("bomb.yaml", LAUGHS_YAML),)),
    "a 6 MB inspection file": Attempt(("inspection", "add", "{tmp}/big.yaml"), says=("larger than 5 MB",),
                                      prepare=(bigger_than("big.yaml", 6, "# padding padding padding padding\n"),)),
    "an endless inspection file (/dev/zero)": Attempt(("inspection", "add", "/dev/zero"), says=("larger than 5 MB",)),
    "a 6 MB annex CSV": Attempt(("annex", "import", "{tmp}/big.csv", "--inspection", "1"), says=("larger than 5 MB",),
                                prepare=(example, bigger_than("big.csv", 6, "No.,Area,Status,Update\n"))),
    "YAML nested 100,000 deep": Attempt(("meeting", "add", "{tmp}/deep.yaml"), says=("nested too deeply",),
                                        prepare=(a_file("deep.yaml", "themes: " + "[" * 100_000 + "]" * 100_000),)),
    "a reference scheme building a 1 GB reference": Attempt(
        ("office", "set", "MOPAC", "--reference-scheme", "D{seq:999999999}"), says=("too wide",), prepare=(example,)),
    "--next-number 9223372036854775806": Attempt(
        ("office", "set", "MOPAC", "--next-number", "9223372036854775806"), says=("--next-number must be from 1 to 2,147,483,647",),
        prepare=(example,), then=counter_intact),
    "the running number at its limit": Attempt(
        ("draft", "annex", "1", "--office", "MOPAC"), says=("has reached 2,147,483,647",),
        prepare=(example, run("office", "set", "MOPAC", "--next-number", "2147483647"), run("draft", "annex", "1", "--office", "MOPAC"))),
    # 10. Locks and waits
    "letter list while someone else is writing": Attempt(
        ("letter", "list"), expect="held", prepare=(example,), run=behind_a_writer("letter", "list", "--office", "MOPAC")),
    "every read-only command while someone else is writing": Attempt(expect="held", prepare=(example,), run=readers_behind_a_writer),
    "a draft behind another writer": Attempt(
        expect="refused", says=("is busy", "try again"), prepare=(example,),
        run=behind_a_writer("draft", "annex", "1", "--office", "MOPAC")),
    "a change behind another writer on PostgreSQL names who holds it": Attempt(
        expect="refused", says=("is busy", "alice drafting in Word"), prepare=(example,), only="postgresql",
        run=behind_a_writer("office", "set", "MOPAC", "--name", "Renamed")),
    # 11. Tracebacks that must be one line
    "a .docx with a DOCTYPE entity in a letter import batch": Attempt(
        expect="refused", stores_nothing=False, prepare=(example, docx_with("entity.docx", with_doctype)),
        run=batch_goes_on("entity.docx", "declares a DOCTYPE")),
    "billion laughs in a returned annex": Attempt(
        ("annex", "import", "{tmp}/laughs.docx", "--inspection", "1"), says=("declares a DOCTYPE",),
        prepare=(example, docx_with("laughs.docx", billion_laughs))),
    "billion laughs as a report": Attempt(("inspection", "import", "{tmp}/laughs.docx"), says=("declares a DOCTYPE",),
                                          prepare=(docx_with("laughs.docx", billion_laughs),)),
    "a 250-character file name imported twice": Attempt(
        ("letter", "import", f"{{tmp}}/a/{'m' * 250}.txt", f"{{tmp}}/b/{'m' * 250}.txt", "--direction", "in"), expect="held",
        stores_nothing=False, prepare=(example, a_file(f"a/{'m' * 250}.txt", GOOD_REPLY), a_file(f"b/{'m' * 250}.txt", GOOD_REPLY.replace("01/06", "02/06"))),
        then=lambda cli, tmp, result: len(list((tmp / "letters" / "received").iterdir())) == 2),
    "--letters given a file": Attempt(("office", "set", "MOPAC", "--letters", "{tmp}/reply.txt"),
                                      says=("--letters", "is a file"), prepare=(example, a_file("reply.txt", GOOD_REPLY))),
    "--db given a text file": Attempt(run=lambda cli, tmp, attempt: cli("letter", "list", "--db", str(tmp / "notes.txt"), db=False),
                                      says=("notes.txt", "file is not a database"), prepare=(a_file("notes.txt", "shopping list\n"),),
                                      only="sqlite"),
    "a record number too large for any database": Attempt(("inspection", "show", "99999999999999999999"), says=("no inspection",), prepare=(example,)),
    "a letter id too large": Attempt(("letter", "show", "#99999999999999999999"), says=("no letter",), prepare=(example,)),
    "an inspection id too large in letter log": Attempt(
        ("letter", "log", "--office", "MOPAC", "--ref", "X/1", "--date", "1/1/2019", "--inspection", "99999999999999999999"),
        says=("no inspection",), prepare=(example,)),
    "an area code too large": Attempt(("update", "add", "99999999999999999999:A1", "--status", "complete", "--text", "x"),
                                      says=("no inspection",), prepare=(example,)),
    "an action number too large": Attempt(("action", "add", "1", "--action", "x", "--number", "99999999999"),
                                          says=("action number", "out of range"), prepare=(example,)),
    "a --year too large": Attempt(("office", "set", "MOPAC", "--next-number", "5", "--year", "99999999999999"),
                                  says=("--year",), prepare=(example,)),
    "due --within a billion days": Attempt(("due", "--within", "999999999"), expect="held", prepare=(example,)),
    "letter list --limit beyond 64 bits": Attempt(("letter", "list", "--limit", "99999999999999999999"), expect="held", prepare=(example,)),
    "a numerator too large in an inspection file": Attempt(
        ("inspection", "add", "{tmp}/big.yaml"), says=("big.yaml: measures[0].numerator",),
        prepare=(example, a_file("big.yaml", INSPECTION.format(title="T", published="1 March 2023", programme="PEEL")
                                 + "measures:\n  - name: Rate\n    numerator: 99999999999999999999\n    denominator: 99999999999999999999\n"))),
    "an action number too large in a meeting file": Attempt(
        ("meeting", "add", "{tmp}/board.yaml"), says=("board.yaml: actions[0].number",),
        prepare=(example, a_file("board.yaml", "office: MOPAC\ntitle: Board\nheld_on: 1 June 2022\nactions:\n  - action: x\n    number: 9223372036854775808\n"))),
    "an inspection title of 300 characters, then an annex": Attempt(
        ("draft", "annex", "2", "--office", "MOPAC", "--json"), expect="held", stores_nothing=False,
        prepare=(example, inspection_file("long.yaml", title=LONG_TITLE.strip()), run("inspection", "add", "{tmp}/long.yaml")),
        then=title_cut_for_word),
    "a subject longer than its column": Attempt(
        ("letter", "log", "--office", "MOPAC", "--ref", "X/1", "--date", "1/1/2019", "--subject", "s" * 600),
        says=("letter subject is too long (600 characters; at most 500 fit)",), prepare=(example,)),
    "a force name longer than its column": Attempt(("force", "add", "F" * 300), says=("force name is too long",), prepare=(example,)),
    "an inspection title longer than its column": Attempt(
        ("inspection", "add", "{tmp}/long.yaml"), says=("inspection title is too long",),
        prepare=(example, inspection_file("long.yaml", title="T" * 600))),
    "a NUL in an inspection file": Attempt(
        ("inspection", "add", "{tmp}/nul.yaml", "--json"), expect="held", stores_nothing=False,
        prepare=(example, inspection_file("nul.yaml", title="PEEL\x00 2023 & more")),
        then=stored_clean(("title",), "PEEL 2023 & more", "inspection", "show", "2")),
    "a user name longer than its column": Attempt(
        run=lambda cli, tmp, attempt: _as_user("u" * 300, cli, "force", "add", "Kent Police"), says=("too long",), prepare=(example,)),
    "two letter sent racing": Attempt(expect="refused", says=(f"letter {SENT} is sent, not a draft",), prepare=(example,),
                                      run=racing_letter_sent, stores_nothing=False),
    # 12. Duplicate keys, old years, far futures
    "a YAML key given twice": Attempt(
        ("inspection", "add", "{tmp}/twice.yaml"), says=("twice.yaml line 4", "'title' is given twice (first on line 3)"),
        prepare=(example, a_file("twice.yaml", INSPECTION.format(title="Old", published="1 March 2023", programme="PEEL").replace(
            "published:", "title: New\npublished:")))),
    "year 0000": Attempt(("letter", "log", "--office", "MOPAC", "--ref", "X/1", "--date", "1/1/0000"), says=("before 1900",), prepare=(example,)),
    "year 0019": Attempt(("inspection", "add", "{tmp}/old.yaml"), says=("published", "before 1900"),
                         prepare=(example, inspection_file("old.yaml", published="0019-07-17"))),
    "an inspection published in 2099": Attempt(("inspection", "add", "{tmp}/future.yaml"), says=("published", "more than a year ahead"),
                                               prepare=(example, inspection_file("future.yaml", published="1 January 2099"))),
    "a meeting held in 2099": Attempt(("meeting", "add", "{tmp}/future.yaml"), says=("held_on", "more than a year ahead"),
                                      prepare=(example, meeting_file("future.yaml", held_on="1 January 2099"))),
}

READ_ONLY = [
    ("letter", "list"), ("letter", "show", SENT), ("letter", "export", "--csv", "reader.csv", "--overwrite"), ("office", "list"),
    ("office", "show", "MOPAC"), ("force", "list"), ("inspection", "list"), ("inspection", "show", "1"), ("meeting", "list"),
    ("meeting", "show", "1"), ("role", "list"), ("role", "who", "Home Secretary"), ("action", "list"), ("due",),
    ("history",), ("template", "context", "1"), ("export",),
    ("backup", "reader-backup.db"), ("check",),
]


def _as_user(name: str, cli: Cli, *args: str) -> Any:
    os.environ["CORR_USER"] = name
    try:
        return cli(*args)
    finally:
        os.environ.pop("CORR_USER", None)


@pytest.fixture(autouse=True)
def _short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer behind another gives up after a fifth of a second instead of ten (no timing is asserted)."""
    monkeypatch.setenv("CORR_LOCK_WAIT", "0.2")


@pytest.mark.parametrize("name", ATTEMPTS)
def test_hostile_attempt_is_held(cli: Cli, tmp_path: Path, name: str) -> None:
    attempt = ATTEMPTS[name]
    if attempt.only and not cli.db_url.startswith(attempt.only):
        pytest.skip(f"{name}: a {attempt.only} attempt")
    for step in attempt.prepare:
        step(cli, tmp_path)
    before = snapshot(cli.db_url)
    if attempt.run is not None:
        result = attempt.run(cli, tmp_path, attempt)
    else:
        result = cli(*(arg.replace("{tmp}", str(tmp_path)) for arg in attempt.args), db=attempt.db)
    if attempt.expect == "refused":
        assert_clean_error(result, *attempt.says)
    elif attempt.expect == "reported":
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "OK" not in result.stdout and "Traceback" not in result.output
        for fragment in attempt.says:
            assert fragment in result.stderr, f"{fragment!r} not in {result.stderr!r}"
    elif attempt.expect == "held":
        assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    if attempt.stores_nothing and attempt.expect in ("refused", "reported", "sql"):
        assert snapshot(cli.db_url) == before
    if attempt.then is not None:
        assert attempt.then(cli, tmp_path, result) is not False
