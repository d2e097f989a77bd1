"""Reading a letter's versions in the browser (files/preview.py, web/previews.py): the PDF LibreOffice
makes of a .docx, kept once per version; the plain rendering where LibreOffice is missing, with a
hostile Word file shown without its script, links or images; a received PDF shown as it is; who may
see which preview; approving the version read; and the page in a real browser, checked by axe-core.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import threading
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from correspondence.files import pdf
from correspondence.files import preview as previews
from correspondence.files.letter_versions import add_version
from correspondence.files.preview import safe_html
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import FileVersion, Letter, LetterClearance
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import ClearanceStep, Direction, FilePurpose, LetterKind
from correspondence.register import letters
from tests.web_support import Browserless, Offices, text_of

REFERENCE = "MOPAC06092018-D2188"  # the bundled example's draft
requires_libreoffice = pytest.mark.skipif(pdf.libreoffice() is None, reason="LibreOffice is not installed")


@pytest.fixture
def dan(app: Any) -> Browserless:
    client = Browserless(app)
    assert client.login("dan").status_code == 302
    return client


@pytest.fixture
def no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "libreoffice", lambda: None)


def previews_kept(office_data: Offices) -> int:
    with office_data.store.reading() as session:
        return session.scalar(select(func.count()).select_from(FileVersion).where(FileVersion.purpose == FilePurpose.PREVIEW))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages).split())


def plain_region(response: Any) -> str:
    found = re.search(r'<div class="plain-document"[^>]*>(.*?)</div>\s*</section>', response.text, flags=re.DOTALL)
    assert found, "no plain rendering on the page"
    return found.group(1)


# --- the PDF ----------------------------------------------------------------------------------------


@requires_libreoffice
def test_a_drafted_letter_is_read_as_its_pdf_made_once(dan: Browserless, office_data: Offices, monkeypatch: pytest.MonkeyPatch) -> None:
    conversions = []
    convert = pdf.convert_to_pdf
    monkeypatch.setattr(pdf, "convert_to_pdf", lambda path: conversions.append(path) or convert(path))
    base = f"/letters/{office_data.mopac_draft}/versions/1"
    page = dan.get(f"{base}/preview")
    assert page.status_code == 200
    words = text_of(page)
    assert f"{REFERENCE}, version 1" in words and "This is the current version." in words
    assert "Why drafted" in words and "Added by" in words
    assert re.search(rf'<iframe class="preview-frame" src="{base}/preview.pdf#view=FitH&amp;navpanes=0"\s+'
                     rf'title="{REFERENCE}, version 1, as a PDF">', page.text)
    assert f'href="{base}/preview.pdf">Open the PDF on its own</a>' in page.text
    assert f'href="{base}/download" download>Download this version (.docx)</a>' in page.text
    assert "plain rendering" not in words
    shown = dan.get(f"{base}/preview.pdf")
    assert shown.status_code == 200 and shown.mimetype == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith(f'inline; filename="{REFERENCE}.pdf"')
    assert shown.headers["Cache-Control"] == "private, no-store"
    # framed by our own page only; every other response still by nobody
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in shown.headers["Content-Security-Policy"]
    assert "default-src 'none'" in shown.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    text = pdf_text(shown.data)
    assert REFERENCE in text and "Rt Hon Sajid Javid MP" in text and "Dear Home Secretary" in text
    # kept once, as the version's preview: asking again converts nothing
    assert len(conversions) == 1 and previews_kept(office_data) == 1
    assert dan.get(f"{base}/preview").status_code == 200 and dan.get(f"{base}/preview.pdf").data == shown.data
    assert len(conversions) == 1 and previews_kept(office_data) == 1
    with office_data.store.reading() as session:
        kept = session.scalar(select(FileVersion).where(FileVersion.purpose == FilePurpose.PREVIEW))
        source = session.get(FileVersion, kept.source_id)
        assert (source.letter_id, source.number, source.purpose) == (office_data.mopac_draft, 1, FilePurpose.LETTER)
        assert kept.letter_id == office_data.mopac_draft and kept.file_name == f"{REFERENCE}.pdf"


@requires_libreoffice
def test_a_sent_letter_is_read_too(dan: Browserless, office_data: Offices) -> None:
    """A sent letter never changes, but its preview is a new record beside it, not a change to it."""
    assert dan.post(f"/letters/{office_data.mopac_draft}/sent", {"sent_on": "7/9/2018"}).status_code == 302
    page = dan.get(f"/letters/{office_data.mopac_draft}/versions/1/preview")
    assert page.status_code == 200 and "<iframe" in page.text and "Approval" not in text_of(page)
    assert REFERENCE in pdf_text(dan.get(f"/letters/{office_data.mopac_draft}/versions/1/preview.pdf").data)
    assert previews_kept(office_data) == 1


def test_two_requests_converting_at_once_keep_one_preview(office_data: Offices, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both convert (no lock is held while LibreOffice runs); the second to store finds the first's."""
    both_converting = threading.Barrier(2, timeout=30)

    def convert(_content: bytes, _name: str) -> bytes:
        both_converting.wait()  # neither stores until both have looked for a preview and found none
        return b"%PDF-1.4 made for the test"

    monkeypatch.setattr(pdf, "libreoffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(previews, "_convert", convert)
    with office_data.store.reading() as session:
        version_id = session.scalar(select(FileVersion.id).where(FileVersion.letter_id == office_data.mopac_draft,
                                                                 FileVersion.purpose == FilePurpose.LETTER))
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(previews.preview_of(office_data.store, version_id))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2 and results[0].pdf_id is not None and results[0].pdf_id == results[1].pdf_id, results
    assert previews_kept(office_data) == 1


def test_a_received_pdf_is_shown_as_it_is(dan: Browserless, office_data: Offices, tmp_path: Path) -> None:
    from fpdf import FPDF

    made = FPDF()
    made.add_page()
    made.set_font("Helvetica", size=11)
    made.cell(0, 6, "Letter from the Commissioner about custody records", new_x="LMARGIN", new_y="NEXT")
    made.output(str(tmp_path / "from the commissioner.pdf"))
    with office_data.store.transaction() as session, acting_as("dan"):
        office = session.get(Letter, office_data.mopac_draft).office
        received = letters.log_letter(session, office=office, direction=Direction.IN, letter_date=dt.date(2019, 3, 4),
                                      sender="Cressida Dick", subject="Custody records", kind=LetterKind.OTHER,
                                      file=tmp_path / "from the commissioner.pdf", today=dt.date(2019, 3, 5))
        session.flush()
        letter_id = received.id
    page = dan.get(f"/letters/{letter_id}/versions/1/preview")
    assert page.status_code == 200 and "The file" in text_of(page) and "<iframe" in page.text
    assert f'href="/letters/{letter_id}/versions/1/download" download>Download this version (.pdf)</a>' in page.text
    shown = dan.get(f"/letters/{letter_id}/versions/1/preview.pdf")
    assert shown.data == (tmp_path / "from the commissioner.pdf").read_bytes()
    assert previews_kept(office_data) == 0  # a PDF is its own preview


# --- without LibreOffice: the plain rendering -------------------------------------------------------


@pytest.mark.usefixtures("no_libreoffice")
def test_without_libreoffice_the_word_file_is_rendered_plainly_and_said_so(dan: Browserless, office_data: Offices) -> None:
    base = f"/letters/{office_data.mopac_draft}/versions/1"
    page = dan.get(f"{base}/preview")
    assert page.status_code == 200 and "<iframe" not in page.text
    assert ("LibreOffice is not installed on the server, so this is a plain rendering of the Word file: its layout may differ."
            in text_of(page))
    region = plain_region(page)
    assert f"Our ref: {REFERENCE}" in region and "Rt Hon Sajid Javid MP" in region and "Dear Home Secretary" in region
    assert "<table>" in region and "<th>" in region  # the grades table comes through as a table
    assert dan.get(f"{base}/preview.pdf").status_code == 404  # no PDF to give
    assert previews_kept(office_data) == 0


def test_a_conversion_that_fails_gives_the_plain_rendering_with_the_reason(dan: Browserless, office_data: Offices,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(path: Path) -> Path:
        raise CorrespondenceError(f"LibreOffice could not convert {path} to PDF (Command '['soffice', '--headless']' "
                                  "returned non-zero exit status 81.)")

    monkeypatch.setattr(pdf, "libreoffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "convert_to_pdf", fails)
    page = dan.get(f"/letters/{office_data.mopac_draft}/versions/1/preview")
    assert page.status_code == 200
    assert ("LibreOffice could not make a PDF of this version (it stopped with exit status 81), so this is a plain rendering "
            "of the Word file: its layout may differ." in text_of(page))
    assert "Dear Home Secretary" in plain_region(page) and "soffice" not in page.text
    assert dan.get(f"/letters/{office_data.mopac_draft}/versions/1/preview.pdf").status_code == 404
    assert previews_kept(office_data) == 0


def hostile_docx() -> bytes:
    """A Word file someone else wrote: a javascript: link, an https link, an image with alt text,
    script typed as text, and an embedded mammoth style map that turns every paragraph into script."""
    import mammoth
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.add_paragraph("Dear Chief Executive,")

    def link(url: str, words: str) -> None:
        paragraph = document.add_paragraph("See ")
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = words
        run.append(text)
        hyperlink.append(run)
        paragraph._p.append(hyperlink)

    link("javascript:alert(document.cookie)", "the board's minutes")
    link("https://www.example.org/custody", "the custody report")
    document.add_paragraph('<script>alert("typed")</script> is only text.')
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(one_pixel_png()))
    picture._inline.docPr.set("descr", "The Chief Constable's signature")
    document.add_paragraph("Yours sincerely, the Chief Constable")
    out = io.BytesIO()
    document.save(out)
    mammoth.embed_style_map(out, "p => script:fresh")
    return out.getvalue()


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.mark.usefixtures("no_libreoffice")
def test_a_hostile_word_file_is_rendered_without_its_script_links_or_images(dan: Browserless, office_data: Offices) -> None:
    with office_data.store.transaction() as session, acting_as("dan"):
        version = add_version(session, session.get(Letter, office_data.mopac_draft), hostile_docx(), file_name="from outside.docx",
                              why="edited by someone else")
        number = version.number
    page = dan.get(f"/letters/{office_data.mopac_draft}/versions/{number}/preview")
    assert page.status_code == 200
    region = plain_region(page)
    assert "Dear Chief Executive," in region and "Yours sincerely, the Chief Constable" in region
    assert "<script" not in region and "javascript" not in region.lower() and "<img" not in region and "data:" not in region
    assert "See the board's minutes" in text_of(page)  # the link's words, as text
    assert '<a href="https://www.example.org/custody" rel="noopener noreferrer nofollow">the custody report</a>' in region
    assert "[image: The Chief Constable's signature]" in region
    assert "&lt;script&gt;alert(&quot;typed&quot;)&lt;/script&gt; is only text." in region or \
           '&lt;script&gt;alert("typed")&lt;/script&gt; is only text.' in region
    assert page.text.count("<script") == 2  # the page's own two scripts, from this site, and nothing else


def test_a_received_word_file_linking_outside_itself_is_never_given_to_libreoffice(dan: Browserless, office_data: Offices,
                                                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An image linked (not embedded) to a file on the server: LibreOffice would open it, and mammoth
    before 1.11 read it into the page. Neither happens: the plain rendering says why, and shows no secret."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-7f3a9c")
    document = Document()
    document.add_paragraph("Dear Deputy Mayor,")
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(one_pixel_png()))
    blip = picture._inline.xpath(".//a:blip")[0]
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), document.part.relate_to(secret.as_uri(), RELATIONSHIP_TYPE.IMAGE, is_external=True))
    document.save(str(tmp_path / "linked.docx"))
    monkeypatch.setattr(pdf, "libreoffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(previews, "_convert", lambda *_: pytest.fail("LibreOffice was given a file that links outside itself"))
    with office_data.store.transaction() as session, acting_as("dan"):
        received = letters.log_letter(session, office=session.get(Letter, office_data.mopac_draft).office, direction=Direction.IN,
                                      letter_date=dt.date(2019, 3, 4), sender="Someone", subject="Linked", kind=LetterKind.OTHER,
                                      file=tmp_path / "linked.docx", today=dt.date(2019, 3, 5))
        session.flush()
        letter_id = received.id
    page = dan.get(f"/letters/{letter_id}/versions/1/preview")
    assert page.status_code == 200 and "Dear Deputy Mayor," in plain_region(page)
    words = text_of(page)
    assert "LibreOffice could not make a PDF of this version (linked.docx: loads image from outside the document" in words
    assert "SECRET-7f3a9c" not in page.text and "[image]" in plain_region(page)


@pytest.mark.parametrize(("markup", "kept"), [
    ('<p onclick="alert(1)" style="color:red" id="main">Hello</p>', "<p>Hello</p>"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "x"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "x"),
    ('<a href="java\tscript:alert(1)">x</a>', "x"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "x"),
    ('<a href="#footnote-1" id="footnote-ref-1">[1]</a>', "[1]"),
    ('<a href="mailto:office@example.org">mail</a>', '<a href="mailto:office@example.org" rel="noopener noreferrer nofollow">mail</a>'),
    ('<a href="https://e.org/?a=1&amp;b=2">y</a>', '<a href="https://e.org/?a=1&amp;b=2" rel="noopener noreferrer nofollow">y</a>'),
    ('<a href="https://e.org/&quot; onmouseover=&quot;alert(1)">y</a>', "y"),
    ('<img src="x" onerror="alert(1)" alt="a chart">', "[image: a chart]"),
    ('<img src="data:image/png;base64,AAAA">', "[image]"),
    ("<script>alert(1)</script><style>p{}</style><p>after</p>", "<p>after</p>"),
    ("<iframe src=//evil></iframe><svg><script>alert(1)</script></svg>text", "text"),
    ("<h1>Title</h1><h5>Small</h5>", "<h3>Title</h3><h6>Small</h6>"),
    ('<table><tr><td colspan="2" rowspan="x">a</td></tr></table>', '<table><tr><td colspan="2">a</td></tr></table>'),
    ("<p><strong>unclosed", "<p><strong>unclosed</strong></p>"),
    ("</p></table>stray", "stray"),
    ("<form action=//evil><input name=x><button>go</button></form>", "go"),
    ("&lt;b&gt; 1 &amp; 2", "&lt;b&gt; 1 &amp; 2"),
])
def test_only_safe_html_is_kept(markup: str, kept: str) -> None:
    assert safe_html(markup) == kept


# --- who may see what ---------------------------------------------------------------------------


def test_another_offices_letter_and_a_missing_version_are_not_found(app: Any, dan: Browserless, office_data: Offices,
                                                                    no_libreoffice: None, tmp_path: Path) -> None:
    from docx import Document

    Document().save(str(tmp_path / "from kent police.docx"))
    with office_data.store.transaction() as session, acting_as("kim"):
        received = letters.log_letter(session, office=session.get(Letter, office_data.kent_letter).office, direction=Direction.IN,
                                      letter_date=dt.date(2022, 7, 2), sender="Kent Police", subject="Kent's reply",
                                      file=tmp_path / "from kent police.docx", today=dt.date(2022, 7, 3))
        session.flush()
        kent_letter = received.id
    kim = Browserless(app)
    assert kim.login("kim").status_code == 302
    kent = f"/letters/{kent_letter}/versions/1"
    assert kim.get(f"{kent}/preview").status_code == 200  # Kent's own user reads it
    for path in (f"{kent}/preview", f"{kent}/preview.pdf"):
        assert dan.get(path).status_code == 404, path  # MOPAC's user is told it is not there
    draft = f"/letters/{office_data.mopac_draft}/versions"
    for path in (f"{draft}/2/preview", f"{draft}/0/preview", f"{draft}/99999999999999999999/preview", f"{draft}/x/preview",
                 f"{draft}/-1/preview", f"{draft}/2/preview.pdf", "/letters/999999/versions/1/preview"):
        assert dan.get(path).status_code == 404, path


# --- approving the version read -----------------------------------------------------------------


@pytest.mark.usefixtures("no_libreoffice")
def test_the_approver_approves_the_version_they_are_reading(app: Any, dan: Browserless, office_data: Offices) -> None:
    draft = office_data.mopac_draft
    assert dan.post(f"/letters/{draft}/submit").status_code == 302
    assert "Approve version" not in dan.get(f"/letters/{draft}/versions/1/preview").text  # the drafter does not approve
    vera = Browserless(app)
    vera.login("vera")
    assert "Approve version" not in vera.get(f"/letters/{draft}/versions/1/preview").text
    april = Browserless(app)
    april.login("april")
    page = april.get(f"/letters/{draft}/versions/1/preview")
    assert "Approve version 1" in page.text and "awaiting approval" in text_of(page)
    with office_data.store.reading() as session:
        sha256 = session.scalar(select(FileVersion.sha256).where(FileVersion.letter_id == draft, FileVersion.number == 1))
    assert f'value="{sha256}"' in page.text
    approved = april.post(f"/letters/{draft}/approve", {"sha256": sha256})
    assert approved.status_code == 302
    with office_data.store.reading() as session:
        step = session.scalar(select(LetterClearance).where(LetterClearance.letter_id == draft,
                                                            LetterClearance.step == ClearanceStep.APPROVED))
        assert step is not None and step.file_sha256 == sha256
    assert "Approve version" not in april.get(f"/letters/{draft}/versions/1/preview").text  # approved now


@pytest.mark.usefixtures("no_libreoffice")
def test_an_earlier_version_carries_no_approve_form(app: Any, dan: Browserless, office_data: Offices) -> None:
    from docx import Document

    draft = office_data.mopac_draft
    edited = io.BytesIO()
    Document().save(edited)
    with office_data.store.transaction() as session, acting_as("dan"):
        add_version(session, session.get(Letter, draft), edited.getvalue(), file_name="edited.docx", why="the Chief Executive's edits")
    assert dan.post(f"/letters/{draft}/submit").status_code == 302
    april = Browserless(app)
    april.login("april")
    earlier = april.get(f"/letters/{draft}/versions/1/preview")
    assert "Approve version" not in earlier.text
    assert "Version An earlier version: read version 2, the current one" in text_of(earlier)
    current = april.get(f"/letters/{draft}/versions/2/preview")
    assert "Approve version 2" in current.text and "the Chief Executive's edits" in text_of(current)


# --- in a real browser ----------------------------------------------------------------------------


@pytest.mark.parametrize("with_libreoffice", [True, False], ids=["pdf", "plain"])
def test_the_preview_page_in_a_browser_is_accessible_and_fits_a_phone(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      with_libreoffice: bool) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation, the console stays free of errors (a frame the
    Content-Security-Policy refused would show there), and at 390 px nothing is wider than the screen."""
    import sys

    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, Officer, serve
    from tests.web_support import build_offices

    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    if with_libreoffice and pdf.libreoffice() is None:
        pytest.skip("LibreOffice is not installed")
    offices = build_offices(db_url, tmp_path / "letters")
    offices.store.dispose()
    if not with_libreoffice:  # the server finds no soffice on its PATH
        monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    process, base = serve(db_url, tmp_path / "serve.log")
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            dan = Officer(browser, base, tmp_path)
            dan.login("dan")
            dan.go(f"/letters/{offices.mopac_draft}/versions/1/preview")
            assert f"{REFERENCE}, version 1" in dan.text()
            if with_libreoffice:
                frame = dan.page.frame_locator("iframe.preview-frame")
                assert dan.page.locator("iframe.preview-frame").get_attribute("title") == f"{REFERENCE}, version 1, as a PDF"
                with dan.page.expect_response(lambda response: response.url.endswith("/preview.pdf")) as loaded:
                    dan.page.reload()
                assert loaded.value.status == 200 and frame is not None
            else:
                assert "this is a plain rendering of the Word file" in dan.text() and "Dear Home Secretary" in dan.text()
            dan.accessible()
            dan.page.screenshot(path=str(tmp_path / "preview-1280.png"), full_page=True)
            dan.page.set_viewport_size({"width": 390, "height": 844})
            assert dan.page.evaluate("document.documentElement.scrollWidth") <= 390
            dan.accessible()
            dan.page.screenshot(path=str(tmp_path / "preview-390.png"), full_page=True)
            dan.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
