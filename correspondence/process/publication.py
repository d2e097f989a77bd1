"""Publishing the response (s.55(5)): one accessible HTML page and one tagged PDF/A, plus an index.

The package holds what the Act requires published: the office's comments on the report and its
response to the chief officer's comments (the s.55 letter, exactly as sent), and the chief
officer's comments (their reply, as received). The index lists every inspection the office
answers, with its report and its response, like a PCC site's "HMICFRS reports and responses" page.

Each file is kept in the store with the response, in the transaction that records it published
(files/versions.py), so each office's package and index are its own and a backup holds them. A
folder, when asked for (as the command line does), also gets a copy: a published file there is
never overwritten; the index is a listing, rewritten in place each time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.drafting.comments import RESPONSE_SECTION, section_named
from correspondence.files.letter_versions import current_version
from correspondence.files.outputs import place_without_overwriting, writing
from correspondence.files.pdf import convert_to_accessible_pdf, require_libreoffice
from correspondence.files.versions import as_file, read_bytes, store_file
from correspondence.organisation.offices import get_office
from correspondence.organisation.users import require_role
from correspondence.process.accessible import (
    Block,
    Run,
    docx_blocks,
    heading,
    html_page,
    nest,
    paragraph,
    text_blocks,
    typographic,
    write_docx,
)
from correspondence.process.clearance import clearance_state
from correspondence.process.comments_received import force_words, forms_sent
from correspondence.process.responses import advance, chief_officer_title, s55_drafts, sent_invitation
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import FileVersion, Inspection, Letter, Office, ResponseCopy, S55Response
from correspondence.records.models import S55Response as Response
from correspondence.records.transactions import remember_written
from correspondence.records.vocabulary import FilePurpose, ResponseStage, UserRole
from correspondence.records.web_addresses import web_address
from correspondence.tracking.deadline import response_due
from correspondence.tracking.inspections import get_inspection, get_response

SLUG_LENGTH = 80  # the most of the report's title a package's file name holds
DEFAULT_OUT = Path("publication")  # the command line's copies, in a folder per office beneath it
INDEX = "index.html"
RESPONSE_ANCHOR = "response-to-comments"


@dataclass
class Publication:
    inspection_id: int
    office: str
    published_on: dt.date
    html: FileVersion
    pdf: FileVersion
    index: FileVersion
    days_late: int  # after the last day of the 56; 0 when in time
    folder: Path | None = None  # where copies were written, when asked for

    @property
    def paths(self) -> dict[str, Path | None]:
        """Where each file's copy is in the folder asked for (else the office's mirror), if anywhere."""
        if self.folder is not None:
            return {"html": self.folder / self.html.file_name, "pdf": self.folder / self.pdf.file_name, "index": self.folder / INDEX}
        return {kind: Path(version.mirror_path) if version.mirror_path else None
                for kind, version in (("html", self.html), ("pdf", self.pdf), ("index", self.index))}


def package_name(inspection: Inspection) -> str:
    """The package's file name (without suffix), readable in a web address: the title's words, as
    many whole words as fit in 80 characters (a single longer word is cut)."""
    slug = re.sub(r"[^a-z0-9]+", "-", inspection.title.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        cut = slug[: SLUG_LENGTH + 1].rsplit("-", 1)[0] if "-" in slug[: SLUG_LENGTH + 1] else slug[:SLUG_LENGTH]
        slug = cut.strip("-")
    return f"{inspection.published_on:%Y-%m-%d}-{slug or 'inspection'}-response"


def publish(session: Session, inspection_id: int | str, office_name: str, *, published_on: dt.date, today: dt.date,
            out_dir: Path | None = None, url: str | None = None) -> Publication:
    """Make the package for the office's sent response, keep it in the store and record it published
    (stage 6); with ``out_dir``, copies go there too.

    Refuses, storing and writing nothing, while the response is unsent or the chief officer was
    never invited to comment. Needs LibreOffice for the PDF."""

    office = get_office(session, office_name)
    inspection = get_inspection(session, inspection_id)
    require_role(session, office, UserRole.DRAFTER)
    response = check_publishable(session, office, inspection, published_on, today)
    record_publication(response, published_on, url)  # checks the URL before anything is made
    require_libreoffice("publishing the response (as an accessible PDF)")
    name = package_name(inspection)
    if out_dir is not None:
        for path in (out_dir / f"{name}.html", out_dir / f"{name}.pdf"):
            if path.exists():
                raise InvalidInput(f"{path} already exists; a published file is never overwritten", field="out", value=path)
    with _sent_file(session, response) as letter:
        title, blocks, nav = package_blocks(session, response, letter)
    page = html_page(title, blocks, description=_description(response, nav), canonical=response.published_url or "", nav=nav)
    html = store_file(session, page.encode("utf-8"), file_name=f"{name}.html", purpose=FilePurpose.PUBLICATION, response=response,
                      why=f"published on {long_date(published_on)}")
    pdf = store_file(session, _pdf_bytes(title, blocks, name, office), file_name=f"{name}.pdf", purpose=FilePurpose.PUBLICATION,
                     response=response, why=f"published on {long_date(published_on)}")
    session.flush()
    index = store_index(session, office)
    if out_dir is not None:
        _write_copies(session, out_dir, ((html, page.encode("utf-8")), (pdf, read_bytes(session, pdf))), read_bytes(session, index))
    last_day = response_due(inspection.published_on)
    return Publication(inspection.id, office.short_name, published_on, html, pdf, index,
                       max(0, (published_on - last_day).days), out_dir)


def published_versions(session: Session, office: Office) -> dict[int, dict[str, FileVersion]]:
    """The latest published web page and PDF of each of the office's responses, by response id (one query)."""
    query = (select(FileVersion).join(Response, FileVersion.response_id == Response.id)
             .where(Response.office_id == office.id, FileVersion.purpose == FilePurpose.PUBLICATION).order_by(FileVersion.number))
    found: dict[int, dict[str, FileVersion]] = {}
    for version in session.scalars(query):
        found.setdefault(version.response_id, {})[version.suffix] = version
    return found


def package_blocks(session: Session, response: S55Response, letter: Path) -> tuple[str, list[Block], list[tuple[str, str]]]:
    """The title, the content and the contents list of the package, from the response's letters."""
    office, inspection = response.office, response.inspection
    sent = response.letter
    assert sent is not None
    who = _chief_officer_name(response)
    body = the(office.name)
    # one colon at most: a title with its own colon takes a dash ("PEEL 2021/22: An inspection of X – response of ...")
    title = typographic(f"{inspection.title}{' –' if ':' in inspection.title else ':'} response of {body}")
    copies = _copies(response)
    report_link = Run(inspection.title, href=inspection.source_url) if inspection.source_url else Run(inspection.title)
    letter_blocks = nest(docx_blocks(letter, caption="Table {n} of the letter") if letter.suffix.lower() == ".docx"
                         else text_blocks(sent.body_text), 2)
    answered = response.comments is not None and _mark_response(letter_blocks)
    if response.comments is None:
        holds = f"This document holds its comments; the {who} had sent none when it was published (see below)."
    elif answered:
        holds = "This document holds all three."
    else:
        holds = f"This document holds its comments on the report and the {who}'s comments."
    blocks = [
        heading(title, 1),
        Block("paragraph", [Run(f"Published by {body} on {long_date(response.published_on)}.")], anchor="meta"),
        heading("About this response", 2, anchor="about"),
        paragraph(f"On {long_date(inspection.published_on)} HMICFRS, the inspectorate of police forces, published its report \u201c",
                  report_link, "\u201d."),
        paragraph(f"Section 55 of the Police Act 1996 requires {body} to publish its comments on the report, "
                  f"the comments of the {who}, and its response to those comments, within 56 days of the report's publication "
                  f"(by {long_date(response_due(inspection.published_on))}). {holds}"),
    ]
    if copies:
        blocks.append(paragraph(f"As section 55(6) requires, copies of these comments were sent to {copies}."))
    ours = f"Our comments on the report, and our response to the {who}'s comments" if answered else "Our comments on the report"
    blocks += [heading(ours, 2, anchor="our-comments"),
               paragraph(f"Letter to {_addressee(sent)}, dated {long_date(sent.letter_date)}"
                         + (f" (our reference {sent.reference})." if sent.reference else "."))]
    blocks += letter_blocks
    theirs = f"Comments of the {who}"
    blocks.append(heading(theirs, 2, anchor="chief-officer-comments"))
    blocks += _comments_blocks(session, response, who)
    nav = [("about", "About this response"), ("our-comments", ours)]
    if answered:
        nav.append((RESPONSE_ANCHOR, f"Our response to the {who}'s comments"))
    nav.append(("chief-officer-comments", theirs))
    return title, blocks, nav


def _copies(response: S55Response) -> str:
    """Whom the copies went to and when (s.55(6)): one date when they went the same day."""
    def name(copy: ResponseCopy) -> str:
        return f"the {copy.recipient}" if copy.recipient == "Home Secretary" else copy.recipient

    copies = list(response.copies)
    if not copies:
        return ""
    if len({copy.sent_on for copy in copies}) == 1:
        return f"{_and([name(copy) for copy in copies])} on {long_date(copies[0].sent_on)}"
    return _and([f"{name(copy)} on {long_date(copy.sent_on)}" for copy in copies])


def _mark_response(blocks: list[Block]) -> bool:
    """Whether the letter holds the office's response to the chief officer's comments: a heading
    over it ("Response to the Chief Constable's comments", as the shipped template and the comments
    file's section name it). Found, it becomes a heading of the package, to link to."""
    for index, block in enumerate(blocks):
        if block.kind in ("heading", "paragraph") and "\n" not in block.text and section_named(block.text.strip()) == RESPONSE_SECTION:
            level = block.level if block.kind == "heading" else 3
            blocks[index] = heading(block.text.strip(), level, anchor=RESPONSE_ANCHOR)
            return True
    return False


def store_index(session: Session, office: Office) -> FileVersion:
    """The office's page of HMICFRS reports and its responses, newest report first, kept in the
    store as the office's latest index."""

    # Only reports the office has started a response to: one stored for comparison (an earlier report,
    # another year's) is never promised as "to be published".
    answered = select(Response.inspection_id).where(Response.office_id == office.id)
    query = select(Inspection).where(Inspection.id.in_(answered))
    inspections = list(session.scalars(query.order_by(Inspection.published_on.desc(), Inspection.id.desc())))
    responses = {r.inspection_id: r for r in session.scalars(select(Response).where(Response.office_id == office.id))}
    published = published_versions(session, office)
    rows = [_index_row(inspection, response, published.get(response.id, {}) if response else {})
            for inspection in inspections for response in [responses.get(inspection.id)]]
    title = typographic(f"HMICFRS reports and our responses: {office.name}")
    intro = paragraph(
        "HMICFRS, the inspectorate of police forces, publishes reports on the forces it inspects. Within 56 days of each "
        f"report, {the(office.name)} publishes its comments, the chief officer's comments and its response to them "
        "(section 55 of the Police Act 1996). Each response is published as a web page and as an accessible PDF."
    )
    caption = "HMICFRS reports and our responses, newest first"
    table = (f'<div class="table-wrap" role="region" aria-label="{caption}" tabindex="0"><table><caption>{caption}</caption><thead><tr>'
             '<th scope="col">Report</th><th scope="col">Published by HMICFRS</th><th scope="col">Our response</th>'
             "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")
    page = html_page(title, [heading(title, 1), intro])
    page = page.replace("</main>", (table if rows else "<p>No reports yet.</p>") + "\n</main>")
    return store_file(session, page.encode("utf-8"), file_name=INDEX, purpose=FilePurpose.INDEX, office=office,
                      why="the index of reports and responses, as last published")


def _index_row(inspection: Inspection, response: S55Response | None, published: dict[str, FileVersion]) -> str:
    from html import escape

    report = escape(inspection.title)
    if inspection.source_url:
        report = f'<a href="{escape(inspection.source_url)}">{report}</a>'
    name = package_name(inspection)
    if response is not None and response.published_on is not None:
        links = []
        for suffix, label in ((".html", "web page"), (".pdf", "PDF")):
            version = published.get(suffix)
            if version is not None:
                size = f", {max(1, round(version.size / 1024))} KB" if suffix == ".pdf" else ""
                links.append(f'<a href="{escape(name + suffix)}">Our response to {escape(inspection.title)} ({label}{size})</a>')
        if not links and response.published_url:
            links.append(f'<a href="{escape(response.published_url)}">Our response to {escape(inspection.title)}</a>')
        cell = "<br>".join(links + [f"Published {long_date(response.published_on)}"])
    else:
        cell = f"To be published by {long_date(response_due(inspection.published_on))}"
    return (f'<tr><th scope="row">{report}</th><td>{long_date(inspection.published_on)}</td><td>{cell}</td></tr>')


def _comments_blocks(session: Session, response: S55Response, who: str) -> list[Block]:
    comments = response.comments
    if comments is None:
        invitation = response.invitation
        assert invitation is not None
        asked = f"on {long_date(invitation.sent_on or invitation.letter_date)}"
        by = f", by {long_date(response.reply_by)}" if response.reply_by else ""
        return [paragraph(f"{the(response.office.name)[:1].upper()}{the(response.office.name)[1:]} invited the {who}'s comments on the report {asked}{by}. "
                          "No comments had been received when this response was published.")]
    blocks = [paragraph(f"Letter from {comments.sender or 'the ' + who}, dated {long_date(comments.letter_date)}"
                        + (f" (their reference {comments.reference})." if comments.reference else "."))]
    reply = current_version(session, comments)
    if reply is not None and reply.suffix == ".docx":
        with as_file(session, reply) as path:
            body = docx_blocks(path, caption=f"Table {{n}} of the {who}'s comments")
        body, left_out = force_words(body, forms_sent(session, response), f"The {who}'s update on each finding")
        if left_out:
            blocks.append(paragraph(f"The {who} replied by completing the table in the invitation {the(response.office.name)} "
                                    f"sent. The {who}'s own words and completed rows are given here; the invitation's wording "
                                    "and any rows not completed are left out."))
    else:
        body = text_blocks(comments.body_text)
    return blocks + nest(body, 2)


def _and(parts: list[str]) -> str:
    return " and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1]


def the(name: str) -> str:
    """An office's name in a sentence: 'the Mayor's Office for Policing and Crime'; 'The X' and 'OPCC' as they are."""
    return name if name.lower().startswith("the ") or name.isupper() else f"the {name}"


def _chief_officer_name(response: S55Response) -> str:
    """How the package names the chief officer: by the role the invitation was addressed to."""
    if response.invitation is not None and response.invitation.addressee_role:
        return response.invitation.addressee_role
    return chief_officer_title(response.office, response.inspection) or "Chief Officer"


def _addressee(letter: Letter) -> str:
    parts = [part for part in (letter.addressee_name, letter.addressee_role) if part]
    return ", ".join(parts) or "the Home Secretary"


def _description(response: S55Response, nav: list[tuple[str, str]]) -> str:
    """The page's description: what it holds, as the introduction says it."""
    ours = f"The comments of {the(response.office.name)} on HMICFRS's report {response.inspection.title}"
    if response.comments is None:
        held = ""
    elif any(anchor == RESPONSE_ANCHOR for anchor, _ in nav):
        held = ", the chief officer's comments, and the response to them"
    else:
        held = ", and the chief officer's comments"
    return f"{ours}{held}, under section 55 of the Police Act 1996."


@contextmanager
def _sent_file(session: Session, response: S55Response) -> Iterator[Path]:
    """The s.55 letter's file exactly as sent (its current version, whose SHA-256 the sent letter
    records), as a file to read: publication must not differ from what was sent."""
    letter = response.letter
    assert letter is not None
    version = current_version(session, letter)
    if version is None:
        raise InvalidInput(f"letter {letter.label} has no file to publish")
    if letter.file_sha256 and version.sha256 != letter.file_sha256:
        raise InvalidInput(f"letter {letter.label}'s file kept is not the file that was sent (its SHA-256 differs)")
    with as_file(session, version) as path:
        yield path


def _pdf_bytes(title: str, blocks: list[Block], name: str, office: Office) -> bytes:
    with tempfile.TemporaryDirectory(prefix="corr-publishing-") as work:
        source = write_docx(title, blocks, Path(work) / f"{name}.docx", author=office.name,
                            footer=f"{office.short_name}: response to HMICFRS's report")
        return convert_to_accessible_pdf(source, Path(work) / f"{name}.pdf").read_bytes()


def _write_copies(session: Session, out_dir: Path, files: tuple[tuple[FileVersion, bytes], ...], index: bytes) -> None:
    """Copies in the folder asked for: the package never over another file, the index rewritten."""
    with writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    for version, content in files:
        target = out_dir / version.file_name
        with writing(target):
            handle, temporary = tempfile.mkstemp(prefix=".publishing-", suffix=target.suffix, dir=out_dir)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                os.chmod(temporary, 0o644)
                place_without_overwriting(Path(temporary), target)
            finally:
                Path(temporary).unlink(missing_ok=True)
        remember_written(session, target)
    path = out_dir / INDEX
    with writing(path):
        handle, temporary = tempfile.mkstemp(prefix=".index-", suffix=".html", dir=out_dir)
        with os.fdopen(handle, "wb") as out:
            out.write(index)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)


def check_publishable(session: Session, office: Office, inspection: Inspection, published_on: dt.date, today: dt.date) -> S55Response:
    """The response, if it may be published on ``published_on``; else one line saying what is missing."""
    response = get_response(session, office, inspection)
    if response is None or response.letter is None:
        raise _not_sent(session, office, inspection)
    if response.published_on is not None:
        where = f" at {response.published_url}" if response.published_url else ""
        raise InvalidInput(f"{office.short_name}'s response to inspection {inspection.id} was already published on "
                           f"{long_date(response.published_on)}{where}")
    sent_invitation(office, inspection, response)  # s.55(5) publishes the chief officer's comments: they must have been invited
    if published_on > today:
        raise InvalidInput(f"{long_date(published_on)} is in the future", field="publication_date")
    sent_on = response.letter.sent_on or response.letter.letter_date
    if published_on < sent_on:
        raise InvalidInput(f"{long_date(published_on)} is before the response was sent, on {long_date(sent_on)}", field="publication_date")
    return response



def record_publication(response: S55Response, published_on: dt.date, url: str | None) -> None:
    response.published_on = published_on
    response.published_url = check_url(url)
    advance(response, ResponseStage.PUBLISHED)



def check_url(url: str | None) -> str | None:
    return web_address(url, field="url")



def _not_sent(session: Session, office: Office, inspection: Inspection) -> InvalidInput:
    """Why the response cannot be published yet: nothing drafted, or a draft not yet sent."""
    not_sent = f"{office.short_name}'s s.55 response to inspection {inspection.id} has not been sent: "
    drafts = s55_drafts(session, office, inspection)
    if not drafts:
        return InvalidInput(f"{not_sent}no s.55 letter has been drafted",
                            steps=[Step("draft_response", "draft it", inspection=inspection.id, office=office.short_name)])
    draft = drafts[-1]
    return InvalidInput(f"{not_sent}{draft.label} is a draft ({clearance_state(session, draft).describe()})",
                        steps=[Step("publish_once_sent", "publish it once it is recorded as sent", letter=draft.label)])
