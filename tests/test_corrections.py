"""Corrections an office needs: force updates that never go backwards by accident and can be
retracted, inspections of the right force that can be corrected or deleted, all in the event log."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, assert_clean_error, snapshot, write
from tests.docx_reading import read_letter


@pytest.fixture
def llr(cli):
    """Leicestershire's office and its 2019 inspection (2) with recommendations R1, R2 and A1."""
    cli.ok("force", "add", "Leicestershire Police")
    cli.ok("office", "add", "--name", "LLR OPCC", "--short", "LLR", "--force", "Leicestershire Police",
           "--reference-scheme", "OPCC/{seq}/{yy}")
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2017.yaml"))
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))
    return cli


def latest(cli, inspection="2"):
    return {a["code"]: (a["latest_update"] or {}).get("status") for a in cli.json("inspection", "show", inspection)["areas"]}


def fill_word_annex(path: Path, rows: dict[str, tuple[str, str]]) -> None:
    from docx import Document

    document = Document(str(path))
    for row in document.tables[0].rows[1:]:
        if row.cells[0].text in rows:
            row.cells[2].text, row.cells[3].text = rows[row.cells[0].text]
    document.save(str(path))


def fill_csv_annex(path: Path, rows: dict[str, tuple[str, str]]) -> None:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    for record in table[1:]:
        if record[0] in rows:
            record[2], record[3] = rows[record[0]]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(table)


def test_a_stale_csv_return_cannot_move_findings_backwards(llr, tmp_path):
    """The issue's case: a CSV request made before a Word return, imported after it, moved R1
    from complete back to in progress and R2 back to not started, silently."""
    cli = llr
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "Plan agreed.", "--date", "1/5/2019")
    stale = tmp_path / "annex.csv"
    cli.ok("draft", "annex", "2", "--office", "LLR", "--csv", str(stale), "--date", "2/5/2019")
    word = Path(cli.json("draft", "annex", "2", "--office", "LLR", "--date", "10/5/2019")["file"])
    fill_word_annex(word, {"R1": ("complete", "Recording within 24 hours since May."), "R2": ("in progress", "N100 review under way.")})
    assert cli.json("annex", "import", str(word), "--date", "3/6/2019")["stored"] == 2
    assert latest(cli) == {"R1": "complete", "R2": "in progress", "A1": None}

    # the force also returns the CSV it was sent first: R1 left as pre-filled, R2 filled in long ago
    fill_csv_annex(stale, {"R2": ("not started", "Not looked at yet.")})
    before = snapshot(cli.db_url)
    refused = cli("annex", "import", str(stale), "--date", "4/6/2019")  # found from its Our ref column: no --inspection
    assert_clean_error(refused, "1 row(s) would go backwards (R2 would move back from in progress to not started)",
                       "nothing was stored", "--allow-backwards", "--partial")
    assert "(as the annex sent it: not an update)" in refused.stdout  # R1: what the request pre-filled
    assert "HELD BACK: R2 would move back from in progress to not started" in refused.stdout
    assert snapshot(cli.db_url) == before
    assert cli.json("annex", "import", str(stale), "--date", "4/6/2019", "--partial")["stored"] == 0
    assert latest(cli) == {"R1": "complete", "R2": "in progress", "A1": None}

    forced = cli.json("annex", "import", str(stale), "--date", "4/6/2019", "--allow-backwards")
    assert forced["stored"] == 1 and [c["area"] for c in forced["changes"] if c["as_sent"]] == ["R1"]
    assert latest(cli) == {"R1": "complete", "R2": "not started", "A1": None}


def test_a_return_older_than_an_update_received_since_is_held(llr, tmp_path):
    cli = llr
    stale = tmp_path / "annex.csv"
    cli.ok("draft", "annex", "2", "--office", "LLR", "--csv", str(stale), "--date", "2/5/2019")
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "Told us by phone.", "--date", "20/5/2019")
    fill_csv_annex(stale, {"R1": ("in progress", "Plan drafted.")})
    result = cli("annex", "import", str(stale), "--date", "25/5/2019")
    assert_clean_error(result, "R1 would replace an update recorded after this annex was sent on 2 May 2019")
    dated = cli("annex", "import", str(stale), "--date", "10/5/2019", "--inspection", "2")
    assert_clean_error(dated, "R1 would replace a newer update (received 20 May 2019)")


def test_a_corrected_return_of_the_same_annex_is_stored(llr):
    cli = llr
    word = Path(cli.json("draft", "annex", "2", "--office", "LLR", "--date", "10/5/2019")["file"])
    fill_word_annex(word, {"R1": ("in progress", "Plan agreed.")})
    assert cli.json("annex", "import", str(word), "--date", "3/6/2019")["stored"] == 1
    fill_word_annex(word, {"R1": ("in progress", "Plan agreed and funded.")})  # the force sends it again, corrected
    assert cli.json("annex", "import", str(word), "--date", "3/6/2019")["stored"] == 1
    assert cli.json("update", "list", "2:R1")[-1]["text"] == "Plan agreed and funded."


def test_a_mistaken_update_is_retracted_not_buried(llr, tmp_path):
    cli = llr
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "Recording plan agreed.", "--date", "1/5/2019")
    cli.ok("update", "add", "2:R1", "--status", "complete", "--text", "x", "--date", "2/5/2019")  # the mistake
    cli.ok("update", "add", "2:R2", "--status", "complete", "--text", "N100 use reviewed.", "--date", "2/5/2019")
    before = snapshot(cli.db_url)
    for args, message in [
        (["2:R1", "2"], "Missing option '--why'"),
        (["2:R1", "2", "--why", "  "], "--why: say why"),
        (["2:R1", "7", "--why", "typo"], "R1 of inspection 2 has no update 7 (its updates: 1 to 2"),
        (["2:Z1", "1", "--why", "typo"], "write it as INSPECTION:CODE"),
    ]:
        result = cli("update", "retract", *args)
        assert result.exit_code != 0 and message in result.output + result.stderr
    assert snapshot(cli.db_url) == before

    done = cli.ok("update", "retract", "2:R1", "2", "--why", "typed into the wrong finding")
    assert "latest is now in progress: Recording plan agreed." in done.stdout
    assert latest(cli)["R1"] == "in progress"
    history = cli.json("update", "list", "2:R1")
    assert [(u["number"], u["text"], u["retraction_reason"]) for u in history] == [
        (1, "Recording plan agreed.", None), (2, "x", "typed into the wrong finding"),
    ]
    assert "typed into the wrong finding" in cli.ok("update", "list", "2:R1").stdout
    logged = [e for e in cli.json("history", "--entity", "force_updates") if e["change"] == "update"]
    assert logged[0]["data"]["retraction_reason"] == [None, "typed into the wrong finding"]
    assert_clean_error(cli("update", "retract", "2:R1", "2", "--why", "again"), "already retracted")

    letter = read_letter(Path(cli.json("draft", "annex", "2", "--office", "LLR", "--date", "3/5/2019")["file"]))
    rows = {row[0]: row for row in letter.tables[0][1:]}
    assert rows["R1"][2:] == ["In progress", "Recording plan agreed."]  # the retracted "x" is never quoted

    cli.ok("update", "retract", "2:R2", "1", "--why", "not from the force")
    assert_clean_error(cli("draft", "response", "2", "--office", "LLR", "--date", "3/5/2019"), "neither an answer from LLR nor an update from the force (R2)")


def test_an_office_is_stopped_from_answering_another_forces_inspection(example_cli, tmp_path):
    """Kent drafted a response on the Met's inspection without a murmur."""
    cli = example_cli
    cli.ok("force", "add", "Kent Police")
    cli.ok("office", "add", "--name", "Kent OPCC", "--short", "KENT", "--force", "Kent Police")
    before = snapshot(cli.db_url)
    for command in (["draft", "response", "1"], ["draft", "annex", "1"], ["invite", "1"], ["draft", "annex", "1", "--csv", "t.csv"]):
        result = cli(*command, "--office", "KENT", "--date", "1/9/2018")
        assert_clean_error(result, "inspection 1 is of Metropolitan Police Service, but KENT oversees Kent Police", "--other-force")
    assert snapshot(cli.db_url) == before
    assert not any((tmp_path / "letters").glob("1*"))
    meant = cli.json("draft", "annex", "1", "--office", "KENT", "--date", "1/9/2018", "--other-force")
    assert meant["reference"] == "1"

    thematic = write(tmp_path / "thematic.yaml", "programme: Thematic\ntitle: Police response to stalking\npublished: 1 June 2018\n"
                     "recommendations:\n  - Every force should appoint a stalking lead.\n")
    stored = cli.json("inspection", "add", str(thematic))
    assert stored["force"] is None
    assert "National (no single force)" in cli.ok("inspection", "show", str(stored["id"])).stdout
    cli.ok("update", "add", f"{stored['id']}:R1", "--status", "complete", "--text", "Lead appointed.", "--date", "1/7/2018")
    cli.ok("draft", "response", str(stored["id"]), "--office", "KENT", "--date", "1/7/2018")  # national: any office
    due = {item["inspection_id"]: item for item in cli.json("due", "--office", "KENT", "--today", "1/7/2018")}
    assert due[stored["id"]]["force"] == "national (no single force)" and 1 not in due


def test_an_inspection_is_corrected_with_each_change_logged(example_cli):
    cli = example_cli
    corrected = cli.ok("inspection", "set", "1", "--title", "Crime Data Integrity: Metropolitan Police Service",
                       "--published", "18 July 2018", "--grade", "requires improvement")
    assert "corrected title, overall grade, published" in corrected.stdout
    shown = cli.json("inspection", "show", "1")
    assert (shown["title"], shown["published_on"], shown["overall_grade"]) == (
        "Crime Data Integrity: Metropolitan Police Service", "2018-07-18", "requires improvement")
    change = next(e for e in cli.json("history", "--entity", "inspections") if e["change"] == "update")
    assert change["data"]["published_on"] == ["2018-07-17", "2018-07-18"]
    before = snapshot(cli.db_url)
    assert_clean_error(cli("inspection", "set", "1", "--published", "1/1/2999"), "--published: 1 January 2999 is in the future")
    assert_clean_error(cli("inspection", "set", "1", "--grade", "greatish"), "--grade: unknown grade 'greatish'")
    assert_clean_error(cli("inspection", "set", "1", "--force", "Nowhere Police"), "no force named 'Nowhere Police'")
    assert snapshot(cli.db_url) == before
    assert "nothing to change" in cli.ok("inspection", "set", "1", "--published", "18/7/2018").stdout


def test_a_wrong_import_is_deleted_but_never_one_a_sent_letter_answers(example_cli, tmp_path):
    cli = example_cli
    cli.ok("force", "add", "Leicestershire Police")
    wrong = cli.json("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))["id"]
    cli.ok("update", "add", f"{wrong}:R1", "--status", "complete", "--text", "Done.", "--date", "1/5/2019")
    draft = cli.json("draft", "annex", str(wrong), "--office", "MOPAC", "--date", "2/5/2019", "--other-force")
    deleted = cli.ok("inspection", "delete", str(wrong))
    assert f"deleted inspection {wrong}" in deleted.stdout and draft["reference"] in deleted.stdout
    assert_clean_error(cli("inspection", "show", str(wrong)), f"no inspection {wrong}")
    assert cli.json("letter", "show", draft["reference"])["inspection_id"] is None  # the draft is kept, unlinked
    gone = {(e["entity"], e["change"]) for e in cli.json("history", "--limit", "200")}
    assert {("inspections", "delete"), ("improvement_areas", "delete"), ("force_updates", "delete"), ("judgments", "delete")} <= gone

    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    before = snapshot(cli.db_url)
    assert_clean_error(cli("inspection", "delete", "1"), "the sent letter(s) MOPAC06092018-D2188 refer to it", "corr inspection set 1")
    assert snapshot(cli.db_url) == before


def test_an_office_cannot_delete_a_national_report_another_office_is_answering(example_cli, tmp_path):
    """The web's admin sees only their office's records: a national report is every office's, so
    one office's admin may not delete it from under another office's response."""
    from correspondence.organisation.offices import get_office
    from correspondence.records.errors import NotPermitted
    from correspondence.records.store import Store
    from correspondence.tracking.inspections import delete_inspection, get_inspection

    cli = example_cli
    cli.ok("force", "add", "Kent Police")
    cli.ok("office", "add", "--name", "Kent OPCC", "--short", "KENT", "--force", "Kent Police")
    thematic = write(tmp_path / "thematic.yaml", "programme: Thematic\ntitle: Police response to stalking\npublished: 1 June 2018\n"
                     "recommendations:\n  - Every force should appoint a stalking lead.\n")
    national = cli.json("inspection", "add", str(thematic))["id"]
    kents = cli.json("draft", "response", str(national), "--office", "KENT", "--date", "1/7/2018", "--allow-missing")["reference"]
    store = Store(cli.db_url)
    before = snapshot(cli.db_url)
    with pytest.raises(NotPermitted, match=f"inspection {national} cannot be deleted by MOPAC: KENT also has letters or a response"):
        with store.transaction() as session:
            delete_inspection(session, get_inspection(session, national), by_office=get_office(session, "MOPAC"))
    assert snapshot(cli.db_url) == before
    with store.transaction() as session:  # Kent's own admin may: the draft is Kent's
        unlinked = delete_inspection(session, get_inspection(session, national), by_office=get_office(session, "KENT"))
        assert [letter.reference for letter in unlinked] == [kents]
    store.dispose()
