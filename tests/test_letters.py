"""`corr letter log|list|show|delete` and the rule that references are never reused."""

import hashlib

from tests.conftest import assert_clean_error, snapshot


def log(cli, *extra):
    return cli.json("letter", "log", "--office", "MOPAC", *extra)


def test_letter_to_a_role_resolves_the_holder_on_the_letters_date(example_cli):
    letter = log(example_cli, "--ref", "MOPAC01082019-D2300", "--date", "1 August 2019", "--to", "home secretary")
    assert letter["addressee_name"] == "Rt Hon Priti Patel MP"
    assert letter["addressee_role"] == "Home Secretary"
    assert letter["addressee_address"].startswith("Home Office\n2 Marsham Street")
    assert letter["sender"] == "Sophie Linden"  # the office's signatory by default


def test_on_a_handover_day_the_incoming_holder_is_addressed(example_cli):
    letter = log(example_cli, "--ref", "R-1", "--date", "24/07/2019", "--to", "Home Secretary")
    assert letter["addressee_name"] == "Rt Hon Priti Patel MP"


def test_explicit_addressee_is_kept_as_given(example_cli):
    letter = log(
        example_cli, "--ref", "R-2", "--date", "04/05/2022", "--addressee", "Sir Steve House",
        "--addressee-role", "Acting Commissioner", "--address", "New Scotland Yard", "--address", "London SW1A 2JL",
    )
    assert (letter["addressee_name"], letter["addressee_role"]) == ("Sir Steve House", "Acting Commissioner")
    assert letter["addressee_address"] == "New Scotland Yard\nLondon SW1A 2JL"
    assert letter["date"] == "2022-05-04"  # day first


def test_a_reference_is_never_reused_whatever_its_case_or_spacing(example_cli):
    cli = example_cli
    before = snapshot(cli.db_url)
    result = cli("letter", "log", "--office", "MOPAC", "--ref", " mopac06092018-d2188", "--date", "1/1/2019")
    assert_clean_error(result, "reference mopac06092018-d2188 has already been used by MOPAC")
    assert snapshot(cli.db_url) == before


def test_a_deleted_drafts_reference_stays_spent(example_cli):
    cli = example_cli
    log(cli, "--ref", "MOPAC01012019-D2400", "--date", "1/1/2019", "--status", "draft")
    deleted = cli.ok("letter", "delete", "MOPAC01012019-D2400")
    assert "the reference stays used" in deleted.stdout
    assert_clean_error(cli("letter", "show", "MOPAC01012019-D2400"), "no letter with reference")
    again = cli("letter", "log", "--office", "MOPAC", "--ref", "MOPAC01012019-D2400", "--date", "2/1/2019")
    assert_clean_error(again, "has already been used by MOPAC")


def test_only_drafts_can_be_deleted(example_cli):
    log(example_cli, "--ref", "S-1", "--date", "1/1/2020")
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli("letter", "delete", "S-1"), "is sent; only drafts can be deleted")
    assert snapshot(example_cli.db_url) == before


def test_references_are_per_office(example_cli):
    cli = example_cli
    cli.ok("office", "add", "--name", "Office of the PCC for Leicestershire", "--short", "LEICS")
    letter = cli.json("letter", "log", "--office", "LEICS", "--ref", "MOPAC06092018-D2188", "--date", "1/1/2019")
    assert letter["office"] == "LEICS"
    ambiguous = cli("letter", "show", "MOPAC06092018-D2188")
    assert_clean_error(ambiguous, "matches 2 letters", "give --office or #ID")
    assert cli.json("letter", "show", "MOPAC06092018-D2188", "--office", "LEICS")["id"] == letter["id"]
    assert cli.json("letter", "show", f"#{letter['id']}")["office"] == "LEICS"


def test_incoming_letter_is_received_and_needs_no_reference(example_cli):
    letter = log(example_cli, "--direction", "in", "--date", "13th September 2024", "--sender", "Sir Mark Rowley",
                 "--subject", "Reply on stop & search")
    assert (letter["status"], letter["reference"], letter["sender"]) == ("received", None, "Sir Mark Rowley")
    refused = example_cli("letter", "log", "--office", "MOPAC", "--direction", "in", "--status", "sent", "--date", "1/1/2024")
    assert_clean_error(refused, "status: a letter in can be received, not sent")


def test_an_outgoing_letter_may_have_no_reference_and_is_flagged_in_lists(example_cli):
    """Most published letters carry no reference; they are registered, flagged, and every
    reference that does exist is still never reused."""
    cli = example_cli
    letter = log(cli, "--date", "1/1/2024", "--subject", "Published response", "--to", "Home Secretary")
    assert (letter["reference"], letter["status"], letter["direction"]) == (None, "sent", "out")
    listed = cli.ok("letter", "list", "--direction", "out").stdout
    assert f"#{letter['id']} (no reference)" in listed and "MOPAC06092018-D2188" in listed
    assert cli.json("letter", "show", f"#{letter['id']}")["subject"] == "Published response"
    assert_clean_error(cli("letter", "log", "--office", "MOPAC", "--ref", "MOPAC06092018-D2188", "--date", "1/1/2024"),
                       "has already been used")
    second = log(cli, "--date", "2/1/2024")  # two letters without references do not clash
    assert second["reference"] is None and second["id"] != letter["id"]


def test_file_is_kept_in_the_store_with_its_sha256(example_cli, tmp_path):
    document = tmp_path / "letter.pdf"
    document.write_bytes(b"%PDF-1.4 pretend pdf bytes")
    letter = log(example_cli, "--ref", "R-3", "--date", "1/1/2020", "--file", str(document))
    assert letter["file_sha256"] == hashlib.sha256(b"%PDF-1.4 pretend pdf bytes").hexdigest()
    document.unlink()  # kept in the store, so the original may go
    shown = example_cli.json("letter", "show", "R-3")
    assert shown["file"] == "version 1 of 1, letter.pdf: matches what was sent" and shown["versions"][0]["why"] == "logged"
    example_cli.ok("letter", "file", "R-3", "--to", str(tmp_path / "back.pdf"))
    assert (tmp_path / "back.pdf").read_bytes() == b"%PDF-1.4 pretend pdf bytes"


def test_a_word_file_that_is_not_one_is_refused_and_nothing_is_logged(example_cli, tmp_path):
    document = tmp_path / "letter.docx"
    document.write_bytes(b"pretend docx bytes")
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli("letter", "log", "--office", "MOPAC", "--ref", "R-4", "--date", "1/1/2020", "--file", str(document)),
                       "letter.docx: is not a Word .docx file")
    assert snapshot(example_cli.db_url) == before


def test_list_filters_combine(example_cli):
    cli = example_cli
    log(cli, "--ref", "R-10", "--date", "1 March 2020", "--subject", "Stalking & harassment", "--status", "draft")
    log(cli, "--ref", "R-11", "--date", "1 April 2021", "--subject", "Budget", "--cc", "HMICFRS")
    log(cli, "--direction", "in", "--date", "2 April 2021", "--sender", "The Commissioner", "--subject", "Budget reply")

    def refs(*filters):
        return [letter["reference"] or letter["sender"] for letter in cli.json("letter", "list", *filters)]

    met = "Metropolitan Police Service"  # the example's incoming letter, which has no reference
    assert refs() == ["The Commissioner", "R-11", "R-10", "MOPAC06092018-D2188", met]
    assert refs("--direction", "out", "--status", "sent") == ["R-11"]
    assert refs("--status", "draft") == ["R-10", "MOPAC06092018-D2188"]
    assert refs("--from", "1/1/2020", "--to", "31/12/2020") == ["R-10"]
    assert refs("--text", "budget") == ["The Commissioner", "R-11"]
    assert refs("--text", "stalking &") == ["R-10"]
    assert refs("--text", "d2188") == ["MOPAC06092018-D2188"]
    assert refs("--text", "%") == []  # a wildcard is matched literally, not as "anything"
    assert refs("--force", "Metropolitan Police Service") == ["MOPAC06092018-D2188", met]
    assert refs("--office", "mopac", "--text", "hmicfrs") == ["R-11", "MOPAC06092018-D2188"]


def test_list_rejects_bad_filters_cleanly(example_cli):
    assert_clean_error(example_cli("letter", "list", "--direction", "sideways"), "--direction: unknown direction 'sideways'")
    assert_clean_error(example_cli("letter", "list", "--from", "31/02/2019"), "--from: '31/02/2019' is not a real date")
    assert_clean_error(example_cli("letter", "list", "--from", "1/1/2020", "--to", "1/1/2019"), "--from is after --to")
    assert_clean_error(example_cli("letter", "list", "--office", "NOPE"), "no office 'NOPE'")


def test_show_prints_the_letter(example_cli):
    shown = example_cli.ok("letter", "show", "MOPAC06092018-D2188").stdout
    assert "Rt Hon Sajid Javid MP" in shown and "Metropolitan Police Service: Crime Data Integrity inspection 2018" in shown


def test_a_sent_or_received_letter_cannot_be_dated_in_the_future(example_cli):
    before = snapshot(example_cli.db_url)
    for extra in ([], ["--direction", "in"]):
        result = example_cli("letter", "log", "--office", "MOPAC", "--ref", "F-1", "--date", "1/1/2999", *extra)
        assert_clean_error(result, "--date: 1 January 2999 is in the future")
    assert snapshot(example_cli.db_url) == before
    assert log(example_cli, "--ref", "F-1", "--date", "1/1/2999", "--status", "draft")["status"] == "draft"  # a draft may be
