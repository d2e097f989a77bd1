"""Storing what the importers read: an inspection from a report, a letter from its file.

The extracted report goes through the same validation as a hand-written inspection file, so an
imported inspection obeys every rule an entered one does, and the report's document is kept with it
in the store. A letter's original file is kept in the store as the letter's first version, in the
transaction that logs it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from correspondence.files import gate
from correspondence.files.documents import read_document
from correspondence.files.versions import latest, store_file
from correspondence.importers.forces import canonical_force
from correspondence.importers.letter import parse_letter
from correspondence.importers.letter_findings import LetterFindings
from correspondence.importers.report import parse_report
from correspondence.importers.report_edits import ReportEdits, apply_edits
from correspondence.importers.report_findings import ReportFindings
from correspondence.organisation import roles
from correspondence.organisation.oversight import concerns_office
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput, Step
from correspondence.records.models import FileVersion, Force, Inspection, Office
from correspondence.records.shipped_roles import HOME_SECRETARY
from correspondence.records.vocabulary import Direction, FilePurpose, LetterKind
from correspondence.register import letters
from correspondence.tracking.inspection_file import validate_inspection
from correspondence.tracking.inspections import AlreadyStored, add_inspection


def read_report(path: Path, *, force: str | None = None, programme: str | None = None,
                national: bool = False, edits: ReportEdits | None = None) -> ReportFindings:
    """What the report at ``path`` says, with what the officer said over it: a force given wins
    over everything; ``national`` (a report on no single force) over a force the report names.
    ``edits`` (what the officer changed or filled in on the preview) win over what was read."""
    findings = parse_report(read_document(path))
    if edits is not None:
        apply_edits(findings, edits)
    if force:
        findings.force, findings.national = force, False
        findings.sources.pop("national", None)
    elif national:
        if findings.force:
            raise InvalidInput(f"{path}: the report names {findings.force} as the force it inspected, so it is not a national "
                               "report; nothing stored", field="national", steps=[Step("name_force", "give the force the report inspected")])
        findings.national = True
    if programme:
        findings.programme = programme
    return findings


def import_inspection(session: Session, path: Path, findings: ReportFindings, *, add_force: bool = False,
                      file_name: str | None = None, office: Office | None = None) -> Inspection:
    """Store the findings and the report's document (called ``file_name``, else by its own name);
    the force is matched to a known one ("Metropolitan" finds the Met), or added with ``add_force``
    (by the force's own name, with its chief officer's usual title). A national or thematic
    report (findings.national) is stored with no force; a report that names no force and does not
    say it is national is refused, never stored as either. A report already stored is refused with
    AlreadyStored, saying whether ``office`` (the one storing it) can see the one stored."""
    required = [name for name in ("title", "force", "programme", "published")
                if not getattr(findings, name) and not (name == "force" and findings.national)]
    others = [_IN_WORDS.get(name, name) for name in required if name != "force"]  # "its publication date", not "published"
    if "force" in required:  # never guessed either way: the officer says which
        found_not = f"could not find the report's {_and(others)}, and " if others else ""
        raise InvalidInput(
            f"{found_not}{path.name} names no force as the one it inspected and does not say it is a national or "
            "thematic report; nothing stored", field="force",
            steps=[Step("name_force", "give the force the report inspected"),
                   Step("say_national", "say it is a national or thematic report on no single force")])
    if others:
        raise InvalidInput(f"{path}: could not find the report's {_and(others)}; nothing stored",
                           steps=[Step("give_report_values", "give them", missing=" ".join(name for name in required if name != "force"))])
    data = findings.as_inspection_data()  # a national report's has no force: stored with none
    known = match_force(session, findings.force)
    if known is not None:
        data["force"] = known.name
    elif findings.force and add_force:  # added by the name the forces go by: "Wiltshire" is Wiltshire Police
        data["force"] = canonical_force(findings.force) or findings.force
    spec = validate_inspection(data, source=str(path))
    try:
        if spec.force is None:
            _refuse_national_twice(session, spec)
        inspection = add_inspection(session, spec, add_force=add_force)
    except AlreadyStored as stored:
        if office is None:
            raise
        raise stored.seen(concerns_office(session.get(Inspection, stored.stored_id), office)) from None
    keep_source(session, inspection, path, file_name)
    return inspection


def _refuse_national_twice(session: Session, spec: Any) -> None:
    """A national report imported again is found as the one stored: the same day and the same
    programme or title, among reports on no force (NULLs never clash in a unique constraint, so
    this is checked here, as add_inspection checks a force's)."""
    same = session.scalars(select(Inspection).where(
        Inspection.force_id.is_(None), Inspection.published_on == spec.published,
        (Inspection.programme == spec.programme) | (func.lower(Inspection.title) == spec.title.lower()),
    ).order_by(Inspection.id)).first()
    if same is not None:
        raise AlreadyStored(f"{same.title} (published {long_date(same.published_on)}) is already stored as inspection "
                            f"{same.id}, a national report on no single force; nothing stored",
                            value=spec.published, stored_id=same.id, stored_force_id=None)


def keep_source(session: Session, inspection: Inspection, path: Path, name: str | None = None) -> FileVersion:
    """Keep the document an inspection was imported from, with the inspection, in the store."""
    return store_file(session, gate.admit(path, gate.READ).content, file_name=name or path.name, purpose=FilePurpose.SOURCE, inspection=inspection,
                      why="the report as imported")


def match_force(session: Session, name: str | None) -> Force | None:
    if not name:
        return None
    wanted = " ".join(name.split()).lower()
    exact = session.scalar(select(Force).where(func.lower(Force.name) == wanted))
    if exact is not None:
        return exact
    forces = list(session.scalars(select(Force)))
    same = canonical_force(name)  # "Metropolitan Police" and "Metropolitan Police Service" are one force
    if same is not None:
        known = [force for force in forces if canonical_force(force.name) == same]
        if len(known) == 1:
            return known[0]
    close = [force for force in forces if wanted in force.name.lower() or force.name.lower() in wanted]
    return close[0] if len(close) == 1 else None


@dataclass
class ImportedLetter:
    path: Path
    findings: LetterFindings
    letter_id: int
    reference: str | None
    letter_date: dt.date
    addressee: str
    copy: Path | None  # the office's mirror folder's copy, when it has one; the file itself is in the store
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # what the officer must look at: a letter of ours stored without a reference


def import_letter(session: Session, path: Path, *, office: Office, direction: Direction) -> ImportedLetter:
    """Register one letter file: read it, log it, and keep the file in the store as the letter's."""
    try:
        return _import_letter(session, path, office, direction)
    except CorrespondenceError as error:
        if error.refusal.startswith(str(path)):
            raise
        raise error.prefixed(f"{path}: ") from None


def _import_letter(session: Session, path: Path, office: Office, direction: Direction) -> ImportedLetter:
    if path.suffix.lower() == ".eml":
        return _import_email(session, path, office, direction)
    text = read_document(path)
    findings = parse_letter(text)
    if not findings.date:
        raise InvalidInput(f"{path}: could not find the letter's date; nothing stored")
    letter_date = dt.date.fromisoformat(findings.date)
    notes: list[str] = []
    flags = []
    if direction is Direction.OUT and not findings.reference:
        flags.append("no reference found: stored without one")
    name = findings.addressee_name or ""
    address = findings.addressee_address or ""
    if findings.addressee_role and not name:
        try:
            holder = roles.addressing(session, findings.addressee_role, letter_date, office)
            name, address = holder.name, address or holder.address
            notes.append(f"addressee resolved from the role: {holder.name}")
        except CorrespondenceError:
            notes.append(f"no {findings.addressee_role} is recorded on {findings.date}")
    kind, inspection = _kind_and_inspection(session, findings, office, letter_date, text)
    if inspection is not None:
        notes.append(f"linked to inspection {inspection.id}")
    signatory = ", ".join(part for part in (findings.signatory_name, findings.signatory_title) if part)
    cc = "; ".join(findings.cc)
    letter = letters.log_letter(
        session,
        office=office,
        direction=direction,
        letter_date=letter_date,
        reference=findings.reference,
        addressee=roles.Addressing(role=findings.addressee_role or "", name=name, address=address),
        sender=signatory,
        cc=cc,
        subject=findings.subject or "",
        kind=kind,
        inspection_id=inspection.id if inspection else None,
        file=path,
        as_found=True,
    )
    current = latest(session, letter=letter)
    copy = Path(current.mirror_path) if current is not None and current.mirror_path else None
    addressee = name or findings.addressee_role or ""
    return ImportedLetter(path, findings, letter.id, letter.reference, letter_date, addressee, copy, notes, flags)


def _import_email(session: Session, path: Path, office: Office, direction: Direction) -> ImportedLetter:
    """An e-mail (.eml): logged with the e-mail itself as the letter's file and every attachment the
    gate admits kept with it (importers/email_letter.py reads it; register/post.py logs it)."""
    from correspondence.importers.email_letter import read_post
    from correspondence.register.post import PostEntry, log_post

    reading = read_post(path, path.name)
    if not reading.value("letter_date"):
        raise InvalidInput(f"{path}: could not find the letter's date; nothing stored")
    letter_date = dt.date.fromisoformat(reading.value("letter_date"))
    kept = [attachment for attachment in reading.attachments if attachment.kept]
    entry = PostEntry(direction=direction, letter_date=letter_date, sender=reading.value("sender"),
                      sender_title=reading.value("sender_title"), reference=reading.value("reference"),
                      addressee_name=reading.value("addressee_name"), addressee_role=reading.value("addressee_role"),
                      subject=reading.value("subject"), attachments=[(item.name, item.content) for item in kept])
    letter = log_post(session, office, entry, file=path, file_name=path.name, text=reading.text)
    findings = LetterFindings(reference=entry.reference or None, date=letter_date.isoformat(),
                              addressee_name=entry.addressee_name or None, addressee_role=entry.addressee_role or None,
                              subject=entry.subject or None, signatory_name=entry.sender or None,
                              signatory_title=entry.sender_title or None)
    notes = [*reading.notes, *([f"kept {len(kept)} attachment{'s' if len(kept) != 1 else ''} with it"] if kept else [])]
    notes += [f"not kept: {item.name} ({item.why_not})" for item in reading.attachments if not item.kept]
    flags = ["no reference found: stored without one"] if direction is Direction.OUT and not letter.reference else []
    current = latest(session, letter=letter)
    copy = Path(current.mirror_path) if current is not None and current.mirror_path else None
    return ImportedLetter(path, findings, letter.id, letter.reference, letter_date,
                          entry.addressee_name or entry.addressee_role, copy, notes, flags)


def _kind_and_inspection(session: Session, findings: LetterFindings, office: Office, on: dt.date, text: str) -> tuple[LetterKind, Inspection | None]:
    """A letter to the Home Secretary about an inspection is an s.55 response; it is linked to an
    inspection only when exactly one of the office's force's recent inspections fits it."""
    if findings.addressee_role != HOME_SECRETARY or not re.search(r"inspection|HMICFRS", text, re.IGNORECASE):
        return LetterKind.OTHER, None
    if office.force_id is None:
        return LetterKind.S55_RESPONSE, None
    lowered = text.lower()
    candidates = [
        inspection
        for inspection in session.scalars(select(Inspection).where(Inspection.force_id == office.force_id))
        if inspection.published_on <= on <= inspection.published_on + dt.timedelta(days=365)
        and inspection.programme.lower() in lowered
        and _names_force(inspection.force.name, lowered)
    ]
    return LetterKind.S55_RESPONSE, candidates[0] if len(candidates) == 1 else None


def _names_force(force: str, lowered_text: str) -> bool:
    """Whether the letter names the force by its distinctive words ("Metropolitan", "West Mercia")."""
    generic = {"the", "police", "service", "constabulary", "force", "of", "and"}
    words = [word for word in re.findall(r"[a-z]+", force.lower()) if word not in generic]
    return bool(words) and " ".join(words) in lowered_text


def findings_table(findings: Any) -> list[tuple[str, str, str]]:
    """(field, value, where it was found) rows for showing what was found: 'NOT FOUND' where
    nothing was, a count for lists (their items are listed with their lines separately)."""
    rows = []
    for name, value in vars(findings).items():
        if name == "sources":
            continue
        source = findings.sources.get(name)
        if name == "national":  # said only where it matters: a report with a force found is not national
            if not value and findings.force:
                continue
            shown = "yes: stored with no force" if value else "not said (give the force, or say it is national)"
        elif isinstance(value, list) and name != "cc":
            shown = f"{len(value)} found" if value else "none found"
        elif isinstance(value, list):
            shown = "; ".join(value) if value else "NOT FOUND"
        else:
            shown = str(value) if value not in (None, "") else "NOT FOUND"
        rows.append((name, shown, source.describe() if source else ""))
    return rows


def found_at(findings: Any) -> dict[str, dict[str, Any]]:
    """Where each value came from, as data: {"date": {"line": 14, "text": "13th September 2024"}, ...}."""
    return {key: {"line": source.line, "text": source.text, **({"may_be_cut": True} if source.cut else {})}
            for key, source in findings.sources.items()}


_IN_WORDS = {"published": "publication date"}


def _and(names: list[str]) -> str:
    """'title, programme and publication date'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
