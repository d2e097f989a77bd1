"""One gate for every file taken in (issue 22, item 3): files/gate.py.

`corr letter log --file` stored a .docx declaring XML entities (an external entity to /etc/passwd,
the billion laughs) with rc=0 while `corr letter import` refused it. Here every way a file comes in,
from the command line and the workspace, is handed the same hostile files and must refuse them in
one line naming the file, storing nothing; the gate's own checks are tried one by one; and the
package's source is scanned so that a new reader that skips the gate fails a test.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from correspondence.files import gate
from correspondence.records.errors import InvalidInput
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.docx_files import docx_bytes, macro_enabled, rewritten, with_external_template
from tests.file_entry_points import entry_points
from tests.web_support import Browserless, Offices, text_of

DRAFT = "MOPAC06092018-D2188"


def _document_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("word/document.xml")


def with_prolog(doctype: str, entity: str) -> bytes:
    """A real .docx whose document.xml declares ``doctype`` and uses ``&entity;`` in its text."""
    plain = docx_bytes("Dear Sophie, thank you for your letter.")
    body = _document_xml(plain).split(b"?>", 1)[1].replace(b"<w:t>", f"<w:t>&{entity};".encode(), 1)
    return rewritten(plain, {"word/document.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype.encode() + body})


INTERNAL_ENTITY = with_prolog('<!DOCTYPE w:document [<!ENTITY who "Sir Steve">]>', "who")
EXTERNAL_ENTITY = with_prolog('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "xxe")
LAUGHS = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = with_prolog(f"<!DOCTYPE lolz [{LAUGHS}]>", "lol9")
DOCTYPES = {"internal entities": INTERNAL_ENTITY, "an external entity to /etc/passwd": EXTERNAL_ENTITY,
            "billion laughs": BILLION_LAUGHS}
DOCTYPE_SAYS = "word/document.xml declares a DOCTYPE (XML entities), which Word never writes; the file is refused as unsafe"


def _zip_of(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _nested(depth: int) -> bytes:
    inner = _zip_of({"a.txt": b"hello"})
    for _ in range(depth):
        inner = _zip_of({"inner.zip": inner}, zipfile.ZIP_STORED)
    return rewritten(docx_bytes("A chart's workbook"), {"word/embeddings/Workbook.xlsx": inner})


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- the gate's own checks ------------------------------------------------------------------------

REFUSED: dict[str, tuple[bytes, str, gate.Purpose, str]] = {
    "internal entities": (INTERNAL_ENTITY, "letter.docx", gate.LOGGED, DOCTYPE_SAYS),
    "an external entity": (EXTERNAL_ENTITY, "letter.docx", gate.READ, DOCTYPE_SAYS),
    "billion laughs": (BILLION_LAUGHS, "letter.docx", gate.VERSION, DOCTYPE_SAYS),
    "macros in a .docx": (macro_enabled(), "letter.docx", gate.LOGGED, "is a macro-enabled document"),
    "an external template": (with_external_template(), "letter.docx", gate.VERSION, "loads attachedTemplate from outside the document"),
    "an external template, as a template": (with_external_template(), "ours.docx", gate.TEMPLATE, "loads attachedTemplate"),
    "a part expanding to 60 MB": (rewritten(docx_bytes("x"), {"word/media/image1.png": bytes(60 * 1024 * 1024)}), "bomb.docx",
                                  gate.READ, "word/media/image1.png would expand to 60 MB"),
    "parts expanding past 250 MB in all": (
        rewritten(docx_bytes("x"), {f"word/media/image{n}.bin": bytes(1024 * 1024) for n in range(260)}), "bomb.docx",
        gate.READ, "would expand to over 250 MB"),
    "a part compressed 1,000 to 1": (rewritten(docx_bytes("x"), {"word/media/image1.png": bytes(20 * 1024 * 1024)}), "bomb.docx",
                                     gate.LOGGED, "is compressed"),
    "a package in a package in it": (_nested(1), "nested.docx", gate.READ, "is a package inside a package inside it"),
    "3,000 parts": (rewritten(docx_bytes("x"), {f"customXml/item{n}.xml": b"<a/>" for n in range(3000)}), "many.docx",
                    gate.READ, "holds 3,0"),
    "a PDF named .docx": (_pdf(), "letter.docx", gate.LOGGED, "letter.docx: is not a Word .docx file (it is a PDF"),
    "a Word file named .pdf": (docx_bytes("x"), "letter.pdf", gate.READ, "letter.pdf: is not a PDF (it does not start with %PDF"),
    "a Word file named .txt": (docx_bytes("x"), "notes.txt", gate.READ, "notes.txt: is not a text file (it is a Word .docx file"),
    "a PDF named .yaml": (_pdf(), "inspection.yaml", gate.TEXT_INPUT, "inspection.yaml: is a PDF, which is not taken as a text file"),
    "a PDF as a template": (_pdf(), "ours.docx", gate.TEMPLATE, "ours.docx: is not a Word .docx file (it is a PDF"),
    "an old .doc": (b"\xd0\xcf\x11\xe0" + bytes(600), "letter.docx", gate.READ, "is an old Office file"),
    "a Word template (.dotx) renamed": (
        rewritten(docx_bytes("x"), {"[Content_Types].xml": zipfile.ZipFile(io.BytesIO(docx_bytes("x"))).read("[Content_Types].xml")
                                    .replace(b"document.main+xml", b"template.main+xml")}),
        "letter.docx", gate.VERSION, "a Word template, .dotx"),
    "a template over 5 MB": (docx_bytes("x") + bytes(6 * 1024 * 1024), "big.docx", gate.TEMPLATE, "is 6 MB; the largest a template taken is 5 MB"),
    "empty": (b"", "letter.pdf", gate.READ, "letter.pdf: is empty"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_gate_refuses_naming_the_file_and_what_is_wrong(case: str) -> None:
    content, name, purpose, says = REFUSED[case]
    with pytest.raises(InvalidInput) as refused:
        gate.admit(content, purpose, name=name)
    assert refused.value.refusal.startswith(f"{name}: ") and says in refused.value.refusal
    assert "\n" not in refused.value.refusal


def test_the_gate_takes_what_an_office_hands_it_and_says_what_it_is() -> None:
    linked = docx_bytes("Dear Sophie", link="https://www.justiceinspectorates.gov.uk/") if _takes_link() else docx_bytes("Dear Sophie")
    assert gate.admit(linked, gate.VERSION, name="letter.docx").kind is gate.Kind.WORD  # a hyperlink is only text
    assert gate.admit(with_external_template(), gate.LOGGED, name="as sent.docx").kind is gate.Kind.WORD  # kept as written elsewhere
    assert gate.admit(_nested(0), gate.READ, name="chart.docx").kind is gate.Kind.WORD  # a chart's workbook inside
    assert gate.admit(_pdf(), gate.READ, name="report").kind is gate.Kind.PDF  # no ending: what it is, by its content
    assert gate.admit(b"<!DOCTYPE html><p>Dear Sophie</p>", gate.READ, name="reply.txt").kind is gate.Kind.HTML
    assert gate.admit(b"From: a@example.org\nSubject: s.55\n\nDear Sophie", gate.READ, name="reply.eml").kind is gate.Kind.EMAIL
    assert gate.admit("force: Kent\u00a0\n".encode(), gate.TEXT_INPUT, name="kent.yaml").content.startswith(b"force")


def _takes_link() -> bool:
    import inspect

    return "link" in inspect.signature(docx_bytes).parameters


def test_a_large_file_is_refused_without_reading_past_the_limit(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="the most read from a file of this kind"):
        gate.admit(Path("/dev/zero"), gate.TEXT_INPUT)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)  # sparse: 30 MB on paper
    with pytest.raises(InvalidInput, match="huge.txt: is 30 MB; the largest document read is 20 MB"):
        gate.admit(huge, gate.READ)


# --- every reader passes through it ---------------------------------------------------------------

# Functions that open or read a file without the gate, each with why that is right. A new one fails
# test_every_reader_in_the_package_passes_the_gate until it calls the gate or is added here with its reason.
NOT_TAKEN_IN = {
    ("drafting/bounded.py", "_limit_memory"): "reads /proc for the process's own memory",
    ("drafting/letter_package.py", "prepared"): "the template rendering has just opened, which check_package admitted",
    ("drafting/letter_package.py", "prepare"): "the template rendering has just opened, which check_package admitted",
    ("files/digests.py", "sha256_of"): "hashes a file's bytes; it does not read what is in them",
    ("files/documents.py", "_docx_text"): "reads the bytes admitted_text was given by the gate",
    ("files/pdf_text.py", "_pdfplumber_lines"): "reads the bytes (or the path) read_document admitted",
    ("files/outputs.py", "check_own_file"): "looks for the tool's own signature before replacing a file it wrote",
    ("files/preview.py", "_convert"): "reads the PDF LibreOffice has just written from an admitted file",
    ("process/blocks.py", "docx_blocks"): "reads the tool's own drafted letter",
    ("process/publication.py", "_pdf_bytes"): "reads the PDF LibreOffice has just written from the tool's own letter",
    ("records/settings.py", "read_file"): "the user's own corr.toml settings",
    ("records/shipped_roles.py", "missing_shipped_roles"): "data shipped inside the package",
    ("register/backup.py", "backup"): "writes a backup of the store",
    ("register/restore.py", "restore"): "a backup or export: its checksum, manifest and every member's SHA-256 are checked",
    ("register/restore.py", "read_export"): "an export: its records' checksum is checked",
    ("register/restore.py", "_kind_of"): "reads a backup's first bytes to tell a backup from an export",
    ("register/restore.py", "_restore_backup"): "a backup: its manifest and every member's SHA-256 are checked",
    ("register/restore.py", "_member_sha256"): "a backup's member, hashed against its manifest",
    ("register/restore.py", "_check_files"): "a backup's member, hashed against its manifest",
    ("register/restore.py", "_write_files"): "a backup's member, already checked against its manifest",
    ("register/restore.py", "reopen"): "a backup's records, checked against their checksum",
    ("web/settings_page.py", "settings_template_download"): "a template shipped inside the package",
}


def test_every_reader_in_the_package_passes_the_gate() -> None:
    found = list(entry_points())
    skipping = {(module, function): what for module, function, what, gated in found if not gated}
    unexplained = sorted(f"{module} {function} ({what})" for (module, function), what in skipping.items()
                         if (module, function) not in NOT_TAKEN_IN)
    assert not unexplained, "these read files without files/gate.py: call gate.admit, or say why not in NOT_TAKEN_IN"
    stale = sorted(set(NOT_TAKEN_IN) - set(skipping))
    assert not stale, f"no longer read without the gate (take them out of NOT_TAKEN_IN): {stale}"
    gated = {(module, function) for module, function, _what, passes in found if passes}
    assert {("drafting/annex.py", "_docx_rows"), ("web/settings_page.py", "settings_templates")} <= gated


def test_the_scan_sees_a_reader_that_skips_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan is not vacuous: a module reading an upload, a Word file and a path is caught, and the
    same functions passing through the gate are not."""
    import tests.file_entry_points as scan

    package = tmp_path / "correspondence"
    (package / "web").mkdir(parents=True)
    (package / "web" / "new_page.py").write_text(
        "def take(upload):\n    return upload.read()\n\n"
        "def word(path):\n    from docx import Document\n    return Document(str(path))\n\n"
        "def text(path):\n    return path.read_bytes()\n\n"
        "def checked(upload):\n    from correspondence.files import gate\n    return gate.admit(upload.read(), gate.READ, name='x')\n")
    monkeypatch.setattr(scan, "PACKAGE", package)
    found = {(function, gated) for _module, function, _what, gated in scan.entry_points()}
    assert found == {("take", False), ("word", False), ("text", False), ("checked", True)}


# --- the command line ------------------------------------------------------------------------------

COMMANDS: dict[str, tuple[str, ...]] = {
    "letter log --file": ("letter", "log", "--office", "MOPAC", "--ref", "R-1", "--date", "1/1/2020", "--file", "{file}"),
    "letter import": ("letter", "import", "{file}", "--office", "MOPAC"),
    "inspection import": ("inspection", "import", "{file}"),
    "annex import": ("annex", "import", "{file}", "--inspection", "1"),
    "letter version add": ("letter", "version", "add", DRAFT, "{file}", "--why", "the CEO's edits"),
    "letter attach": ("letter", "attach", DRAFT, "{file}", "--why", "Annex B"),
    "draft with --template": ("draft", "annex", "1", "--office", "MOPAC", "--template", "{file}"),
}


@pytest.mark.parametrize("entity", list(DOCTYPES))
def test_letter_log_file_refuses_a_docx_declaring_entities_and_stores_nothing(example_cli: Cli, tmp_path: Path, entity: str) -> None:
    """The issue's own case: rc=0 and the file stored, before."""
    hostile = tmp_path / "letter.docx"
    hostile.write_bytes(DOCTYPES[entity])
    before = snapshot(example_cli.db_url)
    result = example_cli("letter", "log", "--office", "MOPAC", "--ref", "R-1", "--date", "1/1/2020", "--file", str(hostile))
    assert_clean_error(result, f"{hostile}: {DOCTYPE_SAYS}")
    assert snapshot(example_cli.db_url) == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_taking_a_file_refuses_an_external_entity(example_cli: Cli, tmp_path: Path, command: str) -> None:
    hostile = tmp_path / "reply.docx"
    hostile.write_bytes(EXTERNAL_ENTITY)
    before = snapshot(example_cli.db_url)
    result = example_cli(*(part.replace("{file}", str(hostile)) for part in COMMANDS[command]))
    if command == "letter import":  # a batch: one line for the file, and the count
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert f"{hostile}: {DOCTYPE_SAYS}" in result.stdout + result.stderr
    else:
        assert_clean_error(result, "reply.docx", "declares a DOCTYPE (XML entities)")
    assert snapshot(example_cli.db_url) == before


def test_template_check_and_supersede_refuse_it_too(example_cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / "ours.docx"
    hostile.write_bytes(BILLION_LAUGHS)
    assert_clean_error(example_cli("template", "check", str(hostile), db=False), f"{hostile}: {DOCTYPE_SAYS}")
    lying = tmp_path / "ours-too.docx"
    lying.write_bytes(_pdf())
    assert_clean_error(example_cli("template", "check", str(lying), db=False), "ours-too.docx: is not a Word .docx file (it is a PDF")
    example_cli.ok("letter", "sent", DRAFT, "--date", "7/9/2018")
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli("letter", "supersede", DRAFT, "--file", str(hostile)), "ours.docx", "declares a DOCTYPE")
    assert snapshot(example_cli.db_url) == before


def test_a_name_that_lies_is_refused_naming_the_file(example_cli: Cli, tmp_path: Path) -> None:
    pdf_named_docx = tmp_path / "letter.docx"
    pdf_named_docx.write_bytes(_pdf())
    word_named_pdf = tmp_path / "scan.pdf"
    word_named_pdf.write_bytes(docx_bytes("Dear Sophie"))
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli("letter", "log", "--office", "MOPAC", "--ref", "R-2", "--date", "1/1/2020", "--file", str(pdf_named_docx)),
                       f"{pdf_named_docx}: is not a Word .docx file (it is a PDF")
    assert_clean_error(example_cli("letter", "attach", DRAFT, str(word_named_pdf), "--why", "the scan"),
                       "scan.pdf: is not a PDF (it does not start with %PDF: it is a Word .docx file)")
    assert snapshot(example_cli.db_url) == before


def test_a_plain_letter_is_still_logged_with_its_file(example_cli: Cli, tmp_path: Path) -> None:
    plain = tmp_path / "letter.docx"
    plain.write_bytes(docx_bytes("Dear Home Secretary, our plan."))
    logged = example_cli.json("letter", "log", "--office", "MOPAC", "--ref", "R-3", "--date", "1/1/2020", "--file", str(plain), "--json")
    assert logged["reference"] == "R-3"
    assert "our plan" in example_cli.ok("letter", "list", "--text", "our plan").stdout or logged


# --- the workspace ---------------------------------------------------------------------------------


def _client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


Upload = Callable[[Browserless, Offices, bytes, str], Any]
UPLOADS: dict[str, tuple[str, Upload]] = {
    "a new version": ("dan", lambda b, o, content, name: b.post(
        f"/letters/{o.mopac_draft}/versions", {"version-why": "edits", "version-file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")),
    "an enclosure": ("dan", lambda b, o, content, name: b.post(
        f"/letters/{o.mopac_draft}/attachments", {"attachment-why": "Annex B", "attachment-file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")),
    "a template": ("ada", lambda b, o, content, name: b.post(
        "/settings/templates", {"template-kind": "annex", "template-template": (io.BytesIO(content), name)},
        content_type="multipart/form-data")),
    "a report": ("dan", lambda b, o, content, name: b.post(
        "/inspections/upload", {"report": (io.BytesIO(content), name)}, content_type="multipart/form-data")),
}


@pytest.mark.parametrize("entity", list(DOCTYPES))
@pytest.mark.parametrize("where", list(UPLOADS))
def test_every_upload_refuses_a_docx_declaring_entities_in_the_error_summary(app: Any, office_data: Offices, db_url: str,
                                                                             where: str, entity: str) -> None:
    user, post = UPLOADS[where]
    browser = _client(app, user)
    before = snapshot(db_url)
    answer = post(browser, office_data, DOCTYPES[entity], "reply.docx")
    assert answer.status_code == 422
    page = text_of(answer)
    assert "reply.docx" in page and "declares a DOCTYPE (XML entities), which Word never writes" in page
    assert "There is a problem" in page
    assert snapshot(db_url) == before


def test_an_upload_whose_name_lies_is_refused(app: Any, office_data: Offices) -> None:
    browser = _client(app, "dan")
    answer = UPLOADS["an enclosure"][1](browser, office_data, docx_bytes("Dear Sophie"), "annex.pdf")
    assert answer.status_code == 422
    assert "annex.pdf: is not a PDF (it does not start with %PDF: it is a Word .docx file)" in text_of(answer)
