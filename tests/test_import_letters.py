"""`corr letter import`: prior letters from .docx, text and PDF, noise and all."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEEDS, assert_clean_error, requires_seeds, snapshot

pytestmark = requires_seeds

SEED_LETTERS = {
    "letter-leicestershire-opcc-to-home-secretary-2019-05-17.txt": {
        "reference": "OPCC/114/19", "date": "2019-05-17", "addressee_name": "Rt Hon Sajid Javid MP",
        "addressee_role": "Home Secretary", "cc": "HMICFRS", "sender": "Lord Willy Bach, Police and Crime Commissioner",
        "subject": "Response to Crime Data Integrity Inspection Report – Leicestershire Police – 2018/19",
    },
    "letter-mopac-to-commissioner-2022-05-04.txt": {
        "reference": "MOPAC030422-D4110", "date": "2022-05-04", "addressee_name": "Sir Steve House",
        "addressee_role": "Acting Commissioner", "cc": "", "sender": "Sophie Linden, Deputy Mayor for Policing and Crime",
        "subject": "",
    },
    "letter-mopac-to-home-secretary-2018-09-07.txt": {
        "reference": "MOPAC06092018-D2188", "date": "2018-09-07", "addressee_name": "Rt Hon Sajid Javid MP",
        "addressee_role": "Home Secretary", "cc": "PCC@hmic.gsi.gov.uk",
        "sender": "Sophie Linden, Deputy Mayor for Policing and Crime",
        "subject": "Force report for the Crime Data Integrity inspection",
    },
    "letter-west-mercia-pcc-to-home-secretary-2020-01-06.txt": {
        "reference": "JC/jpi", "date": "2020-01-06", "addressee_name": "Rt Hon Priti Patel MP",
        "addressee_role": "Home Secretary", "cc": "HMICFRS",
        "sender": "John Campion, Police & Crime Commissioner West Mercia",
        "subject": "West Mercia Police: Crime Data Integrity Inspection 2019",
    },
}


@pytest.fixture
def office_cli(cli):
    cli.ok("office", "add", "--name", "Archive office", "--short", "ARCH")
    return cli


def test_the_four_seed_letters_import_with_the_right_facts(office_cli, tmp_path):
    cli = office_cli
    files = [str(SEEDS / name) for name in SEED_LETTERS]
    results = cli.json("letter", "import", *files)
    assert [r["stored"] for r in results] == [True] * 4
    for result in results:
        expected = SEED_LETTERS[Path(result["file"]).name]
        letter = cli.json("letter", "show", expected["reference"])
        for field, value in expected.items():
            assert letter[field] == value, f"{result['file']}: {field}"
        assert (letter["direction"], letter["status"]) == ("out", "sent")
    leicestershire = next(r for r in results if "leicestershire" in r["file"])
    assert "addressee resolved from the role: Rt Hon Sajid Javid MP" in leicestershire["notes"]
    commissioner = next(r for r in results if "commissioner" in r["file"])
    assert commissioner["not_found"] == ["subject", "cc"]  # reported, never invented


def test_originals_are_kept_in_the_store_with_their_sha256(office_cli, tmp_path):
    seed = SEEDS / "letter-leicestershire-opcc-to-home-secretary-2019-05-17.txt"
    (result,) = office_cli.json("letter", "import", str(seed))
    assert result["copy"] is None and not (tmp_path / "letters").exists()  # the office names no folder: nothing on disk
    letter = office_cli.json("letter", "show", "OPCC/114/19")
    assert letter["file_sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert letter["versions"][0]["file_name"] == seed.name
    office_cli.ok("letter", "file", "OPCC/114/19", "--to", str(tmp_path / "original.txt"))
    assert (tmp_path / "original.txt").read_bytes() == seed.read_bytes()


def test_a_letter_already_registered_is_refused_and_nothing_is_kept_twice(office_cli, tmp_path):
    seed = str(SEEDS / "letter-mopac-to-home-secretary-2018-09-07.txt")
    office_cli.ok("letter", "import", seed)
    before = snapshot(office_cli.db_url)
    result = office_cli("letter", "import", seed)
    assert result.exit_code == 1
    assert f"error: {seed}: reference MOPAC06092018-D2188 has already been used by ARCH" in result.stderr
    assert snapshot(office_cli.db_url) == before


def _docx(lines: list[str], path: Path) -> Path:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def test_docx_and_pdf_letters(office_cli, tmp_path):
    from fpdf import FPDF

    seed = (SEEDS / "letter-mopac-to-commissioner-2022-05-04.txt").read_text(encoding="utf-8")
    docx = _docx(seed.splitlines(), tmp_path / "to commissioner.docx")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ["Rt Hon Priti Patel MP", "Home Secretary", "2 Marsham Street", "London SW1P 4DF", "",
                 "Our Ref: PCC/2021/7", "", "13th September 2021", "", "Dear Home Secretary",
                 "Response to the PEEL inspection of Kent Police", "", "I write in response to the report.",
                 "", "Yours sincerely", "", "Matthew Scott", "Police and Crime Commissioner"]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "peel.pdf"))
    results = office_cli.json("letter", "import", str(docx), str(tmp_path / "peel.pdf"))
    assert [r["stored"] for r in results] == [True, True]
    assert (results[0]["reference"], results[0]["date"]) == ("MOPAC030422-D4110", "2022-05-04")
    letter = office_cli.json("letter", "show", "PCC/2021/7")
    assert (letter["date"], letter["addressee_name"], letter["sender"]) == (
        "2021-09-13", "Rt Hon Priti Patel MP", "Matthew Scott, Police and Crime Commissioner")
    assert letter["subject"] == "Response to the PEEL inspection of Kent Police"
    assert letter["kind"] == "s55 response"


def test_incoming_letters_need_no_reference(office_cli, tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Date: 01/06/2022\n\nDear Sophie\n\nUpdate on the actions arising\n\nThank you.\n\nYours sincerely\n\n"
                     "Sir Steve House\nCommissioner\n", encoding="utf-8")
    (result,) = office_cli.json("letter", "import", str(reply), "--direction", "in")
    assert result["stored"] and result["reference"] is None
    letter = office_cli.json("letter", "show", f"#{result['letter_id']}")
    assert (letter["direction"], letter["status"], letter["sender"]) == ("in", "received", "Sir Steve House, Commissioner")


def test_one_bad_file_does_not_stop_the_rest_and_stores_nothing_of_its_own(office_cli, tmp_path):
    good = [str(SEEDS / name) for name in list(SEED_LETTERS)[:2]]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = office_cli("letter", "import", good[0], str(empty), good[1])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "2 of 3 letters stored" in result.stdout
    assert f"error: {empty}: is empty" in result.stderr
    assert "Traceback" not in result.output
    assert len(office_cli.json("letter", "list")) == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("binary.txt", bytes(range(256)) * 40, "is binary, not text"),
        ("broken.docx", b"PK\x03\x04 this is not really a zip", "cannot be read as a Word .docx file"),
        ("report.pdf", b"<html>not a pdf</html>", "is not a PDF"),
        ("damaged.pdf", b"%PDF-1.4\n%%garbage that is no PDF at all", "cannot be read as a PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0 old word", "old Word .doc files are not read"),
        ("undated.txt", "Our ref: X/1\nDear Sir\nNo date here.\n".encode(), "could not find the letter's date"),
    ],
)
def test_bad_files_get_one_line_each_and_nothing_is_stored(office_cli, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(office_cli.db_url)
    result = office_cli("letter", "import", str(path))
    assert_clean_error(result, f"{path}: {message}")
    assert snapshot(office_cli.db_url) == before
    assert not (tmp_path / "letters" / "imported").exists() or not any((tmp_path / "letters" / "imported").iterdir())


def test_a_50_mb_file_is_refused_without_reading_it(office_cli, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert_clean_error(office_cli("letter", "import", str(huge)), f"{huge}: is 50 MB; the largest document read is 20 MB")
    assert_clean_error(office_cli("inspection", "import", str(huge)), "is 50 MB")


def test_a_pdf_without_a_text_layer_is_reported(office_cli, tmp_path):
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 60, style="F")  # a picture of a page, no text
    scan.output(str(tmp_path / "scan.pdf"))
    assert_clean_error(office_cli("letter", "import", str(tmp_path / "scan.pdf")), "has no text layer")
    assert_clean_error(office_cli("inspection", "import", str(tmp_path / "scan.pdf")), "has no text layer")


def test_the_office_must_be_named_when_there_are_several(office_cli):
    office_cli.ok("office", "add", "--name", "Second", "--short", "TWO")
    seed = str(SEEDS / "letter-mopac-to-home-secretary-2018-09-07.txt")
    assert_clean_error(office_cli("letter", "import", seed), "say which office")
    assert office_cli.json("letter", "import", seed, "--office", "TWO")[0]["stored"]


LETTERS = FIXTURES / "letters"


def test_a_letter_on_a_web_page_is_read_past_banners_and_its_own_letterhead(office_cli):
    (found,) = office_cli.json("letter", "import", str(LETTERS / "web-page-letter-to-minister.txt"), "--dry-run")
    assert (found["reference"], found["date"]) == ("PCC/2023/041", "2023-03-03")  # not "Your ref", weekday read past
    assert (found["addressee_name"], found["addressee_role"]) == ("Rt Hon Jane Doe MP", "Minister of State for Policing and Fire")
    assert found["addressee_address"] == "Home Office\n2 Marsham Street\nLondon\nSW1P 4DF"  # not the office's own address
    assert found["subject"] == "Neighbourhood policing in Anyshire"
    assert (found["signatory_name"], found["signatory_title"]) == ("Alex Smith", "Police and Crime Commissioner for Anyshire")
    assert found["cc"] == ["Chief Constable Sam Brown", "HMICFRS"]
    everything = str(found).lower()
    assert "cookie" not in everything and "archived" not in everything and "riverside court" not in everything


def test_labels_a_joint_salutation_and_an_ocr_damaged_date(office_cli):
    (found,) = office_cli.json("letter", "import", str(LETTERS / "labelled-joint-ocr-date.txt"), "--dry-run")
    assert found["date"] == "2019-05-17"  # printed "l7 May 2O19"
    assert (found["addressee_name"], found["addressee_role"]) == ("Sir John Roe QPM DL", "Chair, London Policing Board")
    assert found["salutation"] == "Dear Chair and Deputy Chair,"
    assert (found["signatory_name"], found["signatory_title"]) == ("Priya Patel", "Chief Executive")
    assert found["subject"] is None and found["reference"] is None  # the From: line is the sender, not a subject
    assert found["not_found"] == ["reference", "subject", "cc"]


def test_dry_run_shows_the_line_each_value_came_from_and_stores_nothing(office_cli, tmp_path):
    letter = LETTERS / "web-page-letter-to-minister.txt"
    before = snapshot(office_cli.db_url)
    shown = office_cli.ok("letter", "import", str(letter), "--dry-run").stdout
    assert "line 22: Our ref: PCC/2023/041" in shown and "line 25: Friday 3rd March 2023" in shown
    assert "NOT FOUND" not in shown.split("cc")[0]  # every field up to cc was found
    (found,) = office_cli.json("letter", "import", str(letter), "--dry-run")
    assert found["found_at"]["addressee_name"] == {"line": 15, "text": "Rt Hon Jane Doe MP"}
    assert found["found_at"]["signatory_name"]["line"] == 37
    assert snapshot(office_cli.db_url) == before
    assert not (tmp_path / "letters").exists()


def test_an_outgoing_letter_without_a_reference_is_stored_and_flagged(office_cli):
    letter = str(LETTERS / "dated-after-signature.txt")
    shown = office_cli.ok("letter", "import", letter).stdout
    assert "(none)" in shown and "stored, FLAGGED" in shown
    assert "flagged: 1 stored without a reference (none was found in the letter): dated-after-signature.txt" in shown
    (stored,) = office_cli.json("letter", "import", str(LETTERS / "labelled-joint-ocr-date.txt"))
    assert stored["stored"] and stored["reference"] is None and stored["flags"] == ["no reference found: stored without one"]
    shown = office_cli.json("letter", "show", f"#{stored['letter_id']}")
    assert (shown["reference"], shown["direction"], shown["date"]) == (None, "out", "2019-05-17")
    assert shown["sender"] == "Priya Patel, Chief Executive"
    first = office_cli.json("letter", "list")[0]  # newest first
    assert (first["date"], first["addressee_role"], first["sender"]) == (
        "2021-02-12", "Residents", "Robin Green, Police, Fire and Crime Commissioner")  # dated after the signature
