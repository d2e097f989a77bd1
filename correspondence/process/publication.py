"""Publishing the response (s.55(5)): one accessible HTML page and one tagged PDF/A, plus an index.

The package holds what the Act requires published: the office's comments on the report and its
response to the chief officer's comments (the s.55 letter, exactly as sent), and the chief
officer's comments (their reply, as received). The index lists every inspection the office
answers, with its report and its response, like a PCC site's "HMICFRS reports and responses" page.

Files are written before the transaction commits and removed if it fails; a published file is
never overwritten. The index is a listing, rewritten in place each time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from correspondence.files.digests import sha256_of
from correspondence.files.letter_files import location
from correspondence.files.outputs import place_without_overwriting, writing
from correspondence.files.pdf import convert_to_accessible_pdf, require_libreoffice
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
from correspondence.process.responses import advance, chief_officer_title, s55_drafts, sent_invitation
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import Inspection, Letter, Office, S55Response
from correspondence.records.models import S55Response as Response
from correspondence.records.transactions import remember_written
from correspondence.records.vocabulary import ResponseStage, UserRole
from correspondence.tracking.deadline import response_due
from correspondence.tracking.inspections import get_inspection, get_response

DEFAULT_OUT = Path("publication")
INDEX = "index.html"


@dataclass
class Publication:
    inspection_id: int
    office: str
    published_on: dt.date
    html: Path
    pdf: Path
    index: Path
    days_late: int  # after the last day of the 56; 0 when in time


def package_name(inspection: Inspection) -> str:
    """The package's file name (without suffix), readable in a web address."""
    slug = re.sub(r"[^a-z0-9]+", "-", inspection.title.lower()).strip("-")[:80].strip("-")
    return f"{inspection.published_on:%Y-%m-%d}-{slug or 'inspection'}-response"


def publish(session: Session, inspection_id: int | str, office_name: str, *, published_on: dt.date, today: dt.date,
            out_dir: Path = DEFAULT_OUT, url: str | None = None) -> Publication:
    """Write the package for the office's sent response and record it published (stage 6).

    Refuses, storing and writing nothing, while the response is unsent or the chief officer was
    never invited to comment. Needs LibreOffice for the PDF."""

    office = get_office(session, office_name)
    inspection = get_inspection(session, inspection_id)
    require_role(session, office, UserRole.DRAFTER)
    response = check_publishable(session, office, inspection, published_on, today)
    record_publication(response, published_on, url)  # checks the URL before any file is written
    require_libreoffice("publishing the response (as an accessible PDF)")
    letter = _sent_file(response)
    name = package_name(inspection)
    html_path, pdf_path = out_dir / f"{name}.html", out_dir / f"{name}.pdf"
    for path in (html_path, pdf_path):
        if path.exists():
            raise InvalidInput(f"{path} already exists; a published file is never overwritten")
    title, blocks, nav = package_blocks(response, letter)
    with writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    _write_new(html_path, html_page(title, blocks, description=_description(response), canonical=response.published_url or "", nav=nav))
    remember_written(session, html_path)
    _write_pdf(title, blocks, pdf_path, office)
    remember_written(session, pdf_path)
    session.flush()
    index = write_index(session, office, out_dir)
    last_day = response_due(inspection.published_on)
    return Publication(inspection.id, office.short_name, published_on, html_path, pdf_path, index,
                       max(0, (published_on - last_day).days))


def package_blocks(response: S55Response, letter: Path) -> tuple[str, list[Block], list[tuple[str, str]]]:
    """The title, the content and the contents list of the package, from the response's letters."""
    office, inspection = response.office, response.inspection
    sent = response.letter
    assert sent is not None
    who = _chief_officer_name(response)
    body = the(office.name)
    title = typographic(f"{inspection.title}: response of {body}")
    copies = _and([f"the {copy.recipient} on {long_date(copy.sent_on)}" if copy.recipient == "Home Secretary"
                   else f"{copy.recipient} on {long_date(copy.sent_on)}" for copy in response.copies])
    report_link = Run(inspection.title, href=inspection.source_url) if inspection.source_url else Run(inspection.title)
    holds = ("This document holds all three." if response.comments is not None else
             f"This document holds its comments; the {who} had sent none when it was published (see below).")
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
    ours = f"Our comments on the report, and our response to the {who}'s comments"
    blocks += [heading(ours, 2, anchor="our-comments"),
               paragraph(f"Letter to {_addressee(sent)}, dated {long_date(sent.letter_date)}"
                         + (f" (our reference {sent.reference})." if sent.reference else "."))]
    blocks += nest(docx_blocks(letter, caption="Table {n} of the letter") if letter.suffix.lower() == ".docx"
                   else text_blocks(sent.body_text), 2)
    theirs = f"Comments of the {who}"
    blocks.append(heading(theirs, 2, anchor="chief-officer-comments"))
    blocks += _comments_blocks(response, who)
    nav = [("about", "About this response"), ("our-comments", ours), ("chief-officer-comments", theirs)]
    return title, blocks, nav


def write_index(session: Session, office: Office, out_dir: Path) -> Path:
    """The office's page of HMICFRS reports and its responses, newest report first."""

    answered = select(Response.inspection_id).where(Response.office_id == office.id)
    query = select(Inspection).where(or_(Inspection.id.in_(answered),
                                         *([Inspection.force_id == office.force_id] if office.force_id else [])))
    inspections = list(session.scalars(query.order_by(Inspection.published_on.desc(), Inspection.id.desc())))
    responses = {r.inspection_id: r for r in session.scalars(select(Response).where(Response.office_id == office.id))}
    rows = [_index_row(inspection, responses.get(inspection.id), out_dir) for inspection in inspections]
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
    path = out_dir / INDEX
    with writing(path):
        out_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".index-", suffix=".html", dir=out_dir)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(page)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    return path


def _index_row(inspection: Inspection, response: S55Response | None, out_dir: Path) -> str:
    from html import escape

    report = escape(inspection.title)
    if inspection.source_url:
        report = f'<a href="{escape(inspection.source_url)}">{report}</a>'
    name = package_name(inspection)
    if response is not None and response.published_on is not None:
        links = []
        for suffix, label in ((".html", "web page"), (".pdf", "PDF")):
            path = out_dir / f"{name}{suffix}"
            if path.is_file():
                size = f", {max(1, round(path.stat().st_size / 1024))} KB" if suffix == ".pdf" else ""
                links.append(f'<a href="{escape(name + suffix)}">Our response to {escape(inspection.title)} ({label}{size})</a>')
        if not links and response.published_url:
            links.append(f'<a href="{escape(response.published_url)}">Our response to {escape(inspection.title)}</a>')
        cell = "<br>".join(links + [f"Published {long_date(response.published_on)}"])
    else:
        cell = f"To be published by {long_date(response_due(inspection.published_on))}"
    return (f'<tr><th scope="row">{report}</th><td>{long_date(inspection.published_on)}</td><td>{cell}</td></tr>')


def _comments_blocks(response: S55Response, who: str) -> list[Block]:
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
    path = location(comments)
    if path is not None and path.is_file() and path.suffix.lower() == ".docx":
        body = docx_blocks(path, caption=f"Table {{n}} of the {who}'s comments")
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


def _description(response: S55Response) -> str:
    return (f"The comments of {the(response.office.name)} on HMICFRS's report {response.inspection.title}, the chief "
            "officer's comments, and the response to them, under section 55 of the Police Act 1996.")


def _sent_file(response: S55Response) -> Path:
    """The s.55 letter's file exactly as sent: publication must not differ from what was sent."""
    letter = response.letter
    assert letter is not None
    if not letter.file_path:
        raise InvalidInput(f"letter {letter.reference} has no file to publish")
    path = location(letter)
    if not path.is_file():
        raise InvalidInput(f"letter {letter.reference}'s file {path} is missing; it is what must be published")
    if letter.file_sha256 and sha256_of(path) != letter.file_sha256:
        raise InvalidInput(f"letter {letter.reference}'s file {path} is not the file that was sent (its SHA-256 differs)")
    return path


def _write_new(path: Path, content: str) -> None:

    with writing(path):
        handle, temporary = tempfile.mkstemp(prefix=".publishing-", suffix=path.suffix, dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(content)
            os.chmod(temporary, 0o644)
            place_without_overwriting(Path(temporary), path)
        finally:
            Path(temporary).unlink(missing_ok=True)


def _write_pdf(title: str, blocks: list[Block], target: Path, office: Office) -> None:

    with tempfile.TemporaryDirectory(prefix=".publishing-", dir=target.parent) as work:  # beside the target: one file system
        source = write_docx(title, blocks, Path(work) / f"{target.stem}.docx", author=office.name,
                            footer=f"{office.short_name}: response to HMICFRS's report")
        produced = convert_to_accessible_pdf(source, Path(work) / f"{target.stem}.pdf")
        with writing(target):
            place_without_overwriting(produced, target)


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
    if url is None or not url.strip():
        return None
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")) or any(character.isspace() for character in url) or len(url) > 1000:
        raise InvalidInput(f"{url[:80]!r} is not a web address (https://...)", field="url", value=url)
    return url



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
