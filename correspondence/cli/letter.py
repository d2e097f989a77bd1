"""corr letter: the register of letters in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    ActingAs,
    Db,
    DraftDate,
    Json,
    OfficeName,
    OptionalOffice,
    OutDir,
    acting,
    emit_json,
    give_way,
    human_date,
    joined_lines,
    option_date,
    print_fields,
    print_table,
    store_at,
)
from correspondence.cli.letter_clearance import (
    approval_state,
    letter_approve,
    letter_awaiting,
    letter_return,
    letter_sent,
    letter_submit,
)
from correspondence.cli.letter_files import letter_attach, letter_file, version_app
from correspondence.cli.letter_post import letter_answered, letter_assign, letter_reply
from correspondence.cli.wording import said
from correspondence.records.errors import CorrespondenceError

app = typer.Typer(no_args_is_help=True, help="The register of letters in and out.")


@app.command("log")
def letter_log(
    office: OfficeName,
    date: Annotated[str, typer.Option("--date", help="The letter's date, e.g. \"7 September 2018\".")],
    reference: Annotated[Optional[str], typer.Option("--ref", help="The reference, e.g. MOPAC06092018-D2188.")] = None,
    direction: Annotated[str, typer.Option("--direction", help="out (we sent it) or in (we received it).")] = "out",
    status: Annotated[Optional[str], typer.Option("--status", help="draft or sent (out); received (in).")] = None,
    to_role: Annotated[Optional[str], typer.Option("--to", help="A role resolved on the date, e.g. \"Home Secretary\".")] = None,
    addressee: Annotated[Optional[str], typer.Option("--addressee", help="The addressee's name, if not a --to role.")] = None,
    addressee_role: Annotated[Optional[str], typer.Option("--addressee-role", help="The addressee's role or title.")] = None,
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    sender: Annotated[str, typer.Option("--sender", help="Who signed it [default for out: the office's signatory].")] = "",
    cc: Annotated[str, typer.Option("--cc", help="Copied to.")] = "",
    subject: Annotated[str, typer.Option("--subject", help="The subject line.")] = "",
    kind: Annotated[str, typer.Option("--kind", help="s55 response, follow-up, reply, annex or other.")] = "other",
    inspection: Annotated[Optional[int], typer.Option("--inspection", help="The inspection it concerns.")] = None,
    force: Annotated[Optional[str], typer.Option("--force", help="The force it concerns.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="The letter's file: kept in the store with its SHA-256 (a Word file is checked first).")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Register an existing letter by hand. An outgoing letter without --ref is logged with no
    reference (flagged in lists); every reference given is spent and never used again.

    Example: corr letter log --office LLR --ref OPCC/98/19 --date "2 April 2019" --file plan-letter.docx --to "Home Secretary" --subject "Police and crime plan 2019"

    Example: corr letter log --office MOPAC --direction in --date 20/8/2018 --sender "Metropolitan Police Service" --subject "Update on the Crime Data Integrity areas for improvement" --inspection 1
    """
    from correspondence.cli.views import letter_view
    from correspondence.organisation.offices import get_office
    from correspondence.organisation.roles import Addressing
    from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus
    from correspondence.register import letters

    letter_date = option_date(date, "--date")
    chosen_direction = Direction.parse(direction, field="--direction")
    chosen_status = LetterStatus.parse(status, field="--status") if status else None
    chosen_kind = LetterKind.parse(kind, field="--kind")
    with store_at(db).transaction() as session:
        letter = letters.log_letter(
            session,
            office=get_office(session, office),
            direction=chosen_direction,
            letter_date=letter_date,
            reference=reference,
            status=chosen_status,
            addressee=Addressing(
                role=(to_role or addressee_role or "").strip(), name=(addressee or "").strip(), address=joined_lines(address)
            ),
            sender=sender,
            cc=cc,
            subject=subject,
            kind=chosen_kind,
            inspection_id=inspection,
            force_name=force,
            file=file,
        )
        data = letter_view(letter)
    if json_output:
        emit_json(data)
    else:
        to = data["addressee_name"] or data["addressee_role"] or "(no addressee)"
        typer.echo(f"logged letter {data['reference'] or '#' + str(data['id'])} ({data['direction']}, {data['status']}) of {human_date(data['date'])} to {to}")


@app.command("import")
def letter_import(
    files: Annotated[list[Path], typer.Argument(help="Letters: .docx, text, PDF or e-mails (.eml, kept with their attachments); as many as you like.")],
    office: OptionalOffice = None,
    direction: Annotated[str, typer.Option("--direction", help="out (ours) or in (received).")] = "out",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what each letter says, with the line each value came from; store nothing.")] = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Register existing letters from their files. One bad file does not stop the rest.

    A letter of ours without a reference is stored without one and flagged in the summary.

    Example: corr letter import archive/*.pdf --office MOPAC --dry-run

    Example: corr letter import replies/*.docx --office MOPAC --direction in
    """
    from rich.console import Console
    from rich.progress import Progress

    from correspondence.importers.storing import found_at, import_letter
    from correspondence.organisation.offices import get_office, list_offices
    from correspondence.records.transactions import in_one_transaction
    from correspondence.records.vocabulary import Direction

    chosen_direction = Direction.parse(direction, field="--direction")
    if dry_run:
        _letter_dry_run(files, json_output)
        return
    store = store_at(db)
    with store.reading() as session:
        known = list_offices(session)
        if office:
            chosen = get_office(session, office)
        elif len(known) == 1:
            chosen = known[0]
        else:
            raise CorrespondenceError(f"say which office the letters belong to with --office ({len(known)} offices are set up)")
        short = chosen.short_name

    results, failures = [], []
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("importing letters", total=len(files))
        for path in files:
            def work(session: Any, path: Path = path) -> Any:
                return import_letter(session, path, office=get_office(session, short), direction=chosen_direction)

            try:
                imported = in_one_transaction(store, work)
                results.append({
                    "file": str(path), "stored": True, "reference": imported.reference, "date": imported.letter_date.isoformat(),
                    "addressee": imported.addressee, "subject": imported.findings.subject, "copy": str(imported.copy) if imported.copy else None,
                    "not_found": imported.findings.missing, "notes": imported.notes, "flags": imported.flags,
                    "letter_id": imported.letter_id, "found_at": found_at(imported.findings),
                })
            except CorrespondenceError as error:
                failures.append(said(error))
                results.append({"file": str(path), "stored": False, "error": said(error)})
            progress.advance(task)
    if json_output:
        emit_json(results)
    else:
        print_table("Letters imported", ["File", "Result", "Reference", "Date", "Addressee", "Not found"], [
            [Path(r["file"]).name, ("stored, FLAGGED" if r.get("flags") else "stored") if r["stored"] else "FAILED",
             r.get("reference") or ("(none)" if r["stored"] else ""), r.get("date") or "",
             r.get("addressee") or "", ", ".join(r.get("not_found", [])) if r["stored"] else r["error"]]
            for r in results
        ])
        stored = sum(1 for r in results if r["stored"])
        typer.echo(f"{stored} of {len(results)} letters stored")
        unreferenced = [Path(r["file"]).name for r in results if r.get("flags")]
        if unreferenced:
            typer.echo(f"flagged: {len(unreferenced)} stored without a reference (none was found in the letter): {', '.join(unreferenced)}")
    for failure in failures:
        typer.echo(f"error: {failure}", err=True)
    if failures:
        raise typer.Exit(1)


def _letter_dry_run(files: list[Path], json_output: bool) -> None:
    """What each file says, field by field with the line it came from; nothing is stored or copied."""
    from correspondence.files.documents import read_document
    from correspondence.importers.letter import parse_letter
    from correspondence.importers.storing import findings_table, found_at

    results, failures = [], []
    for path in files:
        try:
            findings = parse_letter(read_document(path))
        except CorrespondenceError as error:
            failures.append(said(error))
            results.append({"file": str(path), "error": said(error)})
            continue
        fields = {name: value for name, value in vars(findings).items() if name != "sources"}
        results.append({"file": str(path), **fields, "not_found": findings.missing, "found_at": found_at(findings)})
        if not json_output:
            print_table(f"Found in {path} (nothing stored)", ["Field", "Found", "Read from"], [list(row) for row in findings_table(findings)])
    if json_output:
        emit_json(results)
    for failure in failures:
        typer.echo(f"error: {failure}", err=True)
    if failures:
        raise typer.Exit(1)


@app.command("list")
def letter_list(
    office: OptionalOffice = None,
    force: Annotated[Optional[str], typer.Option("--force", help="Only letters about this force.")] = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="in or out.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="draft, sent or received.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Dated on or after.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Dated on or before.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Words in the reference, subject, addressee, sender, cc or the letter's file.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many, newest first.")] = 500,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List letters, newest first, filtered as asked; --text also searches the letters' own text.

    Example: corr letter list --office MOPAC --direction out --status sent --from 1/1/2018 --to 31/12/2018

    Example: corr letter list --text "crime data integrity"
    """
    from correspondence.cli.views import letter_view
    from correspondence.records.vocabulary import Direction, LetterStatus
    from correspondence.register.letters import LetterFilter, count_letters, list_letters

    wanted = LetterFilter(
        office=office,
        force=force,
        direction=Direction.parse(direction, field="--direction") if direction else None,
        status=LetterStatus.parse(status, field="--status") if status else None,
        date_from=option_date(date_from, "--from"),
        date_to=option_date(date_to, "--to"),
        text=text,
        limit=limit,
    )
    with store_at(db).reading() as session:
        data = [letter_view(letter) for letter in list_letters(session, wanted)]
        total = count_letters(session, wanted) if len(data) == limit else len(data)
    if json_output:
        emit_json(data)
    else:
        print_table("Letters", ["Date", "Reference", "Office", "Dir", "Status", "To / from", "Subject"], [
            [
                letter["date"], _reference_cell(letter), letter["office"], letter["direction"],
                letter["status"], letter["addressee_name"] if letter["direction"] == "out" else letter["sender"],
                letter["subject"],
            ]
            for letter in data
        ])
        if total > len(data):
            typer.echo(f"showing the newest {len(data)} of {total:,} letters; use --limit to see more", err=True)


def _reference_cell(letter: dict[str, Any]) -> str:
    """The reference, or #ID, flagged when one of ours has none (most published letters have none)."""
    if letter["reference"]:
        return letter["reference"]
    return f"#{letter['id']} (no reference)" if letter["direction"] == "out" else f"#{letter['id']}"


@app.command("show")
def letter_show(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The reference, or #ID.")],
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show one letter and its thread: the inspection or meeting, the response, follow-ups,
    replies and versions, in date order.

    Example: corr letter show MOPAC06092018-D2188
    """
    from correspondence.cli.views import letter_view
    from correspondence.files.letter_files import check_files
    from correspondence.files.letter_versions import letter_versions
    from correspondence.register.letters import get_letter
    from correspondence.register.versions import thread
    from correspondence.tracking.corrections import before_correction_note, drafted_before_correction

    with store_at(db).reading() as session:
        letter = get_letter(session, reference, office)
        data = letter_view(letter)
        data["thread"] = [
            {"reference": other.reference, "id": other.id, "date": other.letter_date.isoformat(), "direction": other.direction.value,
             "kind": other.kind.value, "status": other.status.value, "subject": other.subject, "this": other.id == letter.id}
            for other in thread(session, letter)
        ]
        if letter.inspection is not None:
            data["about"] = f"inspection {letter.inspection.id}: {letter.inspection.title}, published {human_date(letter.inspection.published_on)}"
        elif letter.meeting is not None:
            data["about"] = f"meeting {letter.meeting.id}: {letter.meeting.title}, {human_date(letter.meeting.held_on)}"
        if letter.supersedes is not None:
            data["supersedes"] = letter.supersedes.label
        if letter.withdrawn_at is not None:  # register/withdrawal.py
            data["withdrawn"] = f"{human_date(letter.withdrawn_at.date())} by {letter.withdrawn_by}: {letter.withdrawn_reason}"
        checks = check_files(session, [letter])
        versions = letter_versions(session, letter)
        data["file"] = (f"version {versions[-1].number} of {len(versions)}, {versions[-1].file_name}: {checks[0].description}"
                        if versions else checks[0].description if checks else None)
        data["file_intact"] = None if not checks else not checks[0].state.is_problem
        data["versions"] = [{"number": v.number, "file_name": v.file_name, "sha256": v.sha256, "size": v.size,
                             "added_by": v.added_by, "added_at": v.added_at.isoformat(), "why": v.why} for v in versions]
        data["approval"] = approval_state(session, letter)
        corrected = drafted_before_correction(session, [letter])  # tracking/corrections.py
        if corrected:
            data["made_before_correction"] = before_correction_note(corrected[letter.id])
    if json_output:
        emit_json(data)
        return
    print_fields({key: value for key, value in data.items() if key not in {"thread", "file_intact", "versions"}})
    if len(data["thread"]) > 1:
        typer.echo("\nthread:")
        for other in data["thread"]:
            marker = "->" if other["this"] else "  "
            typer.echo(f" {marker} {human_date(other['date'])}  {other['reference'] or '#' + str(other['id'])}  "
                       f"{other['direction']}, {other['kind']}, {other['status']}: {other['subject']}")


@app.command("export")
def letter_export(
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Write the register as CSV.")] = None,
    xlsx_file: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the register as an Excel workbook.")] = None,
    office: OptionalOffice = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="in or out.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="draft, sent or received.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Dated on or after.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Dated on or before.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Only letters with these words.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing export file.")] = False,
    db: Db = None,
) -> None:
    """The register as the spreadsheet offices keep today (one row per letter, oldest first).

    Example: corr letter export --xlsx register.xlsx --office MOPAC

    Example: corr letter export --csv register.csv --from 1/4/2018 --to 31/3/2019
    """
    from correspondence.records.vocabulary import Direction, LetterStatus
    from correspondence.register.export import column_widths, export_rows, write_csv, write_xlsx
    from correspondence.register.letters import LetterFilter

    if (csv_file is None) == (xlsx_file is None):
        raise CorrespondenceError("give one of --csv FILE or --xlsx FILE")
    from correspondence.files.outputs import check_new_file

    target = check_new_file(csv_file or xlsx_file, overwrite=overwrite, hint="choose another file or pass --overwrite")
    wanted = LetterFilter(
        office=office, direction=Direction.parse(direction, field="--direction") if direction else None,
        status=LetterStatus.parse(status, field="--status") if status else None,
        date_from=option_date(date_from, "--from"), date_to=option_date(date_to, "--to"), text=text,
    )
    give_way()
    with store_at(db).reading() as session:
        rows = export_rows(session, wanted)
        count = write_csv(rows, target) if csv_file else write_xlsx(rows, target, column_widths(session, wanted))
    typer.echo(f"wrote {count:,} letters to {target}")


@app.command("supersede")
def letter_supersede(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The sent letter to replace.")],
    date: DraftDate = None,
    new_reference: Annotated[Optional[str], typer.Option("--ref", help="The new version's reference [default: REF-v2].")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="The new version's file [default: a copy of the old one to edit].")] = None,
    out: OutDir = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Start a correction of a sent letter: a new draft, starting from the sent letter's file, with a
    copy to edit in Word (in letters/, or --out). The sent letter and its file stay as they were.

    Example: corr letter supersede MOPAC06092018-D2188 --date 14/9/2018
    """
    import datetime as dt

    from correspondence.cli.views import letter_view
    from correspondence.files.letter_files import default_folder
    from correspondence.records.transactions import in_one_transaction
    from correspondence.register.letters import get_letter
    from correspondence.register.versions import supersede

    letter_date = option_date(date, "--date") or dt.date.today()

    def work(session: Any) -> dict[str, Any]:
        old = get_letter(session, reference, office)
        new, copy = supersede(session, old, out_dir=out, copy_dir=default_folder(), letter_date=letter_date, reference=new_reference,
                              file=file)
        return {**letter_view(new), "copy": str(copy) if copy else None}

    data = in_one_transaction(store_at(db), work)
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"drafted {data['reference']}, a new version of {reference}: {data['copy'] or '(no file)'}")


@app.command("delete")
def letter_delete(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    office: OptionalOffice = None,
    db: Db = None,
) -> None:
    """Delete a draft's record. Its reference stays used and cannot be given to another letter.

    Example: corr letter delete MOPAC06092018-D2188
    """
    from correspondence.register.letters import delete_draft, get_letter

    with store_at(db).transaction() as session:
        letter = get_letter(session, reference, office)
        label = letter.label
        delete_draft(session, letter)
    typer.echo(f"deleted draft {label}; the reference stays used")


@app.command("withdraw")
def letter_withdraw(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    why: Annotated[str, typer.Option("--why", help="Why it is withdrawn, e.g. \"dated 2030 by mistake\"; kept with the letter and on the timeline.")],
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
) -> None:
    """Withdraw a draft made by mistake: it stays in the register as withdrawn, with who, when and
    why, its files are kept and its reference stays used. A withdrawn invitation to comment is no
    longer the response's invitation, so a new one can be drafted. A sent letter is never
    withdrawn: correct it with 'corr letter supersede'.

    Example: corr letter withdraw WMPCC/1/30 --why "dated 2030 by mistake"
    """
    from correspondence.register.letters import get_letter
    from correspondence.register.withdrawal import withdraw_letter

    with acting(acting_user), store_at(db).transaction() as session:
        letter = get_letter(session, reference, office)
        withdraw_letter(session, letter, why=why)
        label = letter.label
    typer.echo(f"withdrew draft {label}; it stays in the register as withdrawn, and the reference stays used")


# A draft's way out (letter_clearance.py), after the commands that record and find letters.
app.command("sent")(letter_sent)
app.add_typer(version_app, name="version")
app.command("file")(letter_file)
app.command("attach")(letter_attach)
app.command("submit")(letter_submit)
app.command("approve")(letter_approve)
app.command("return")(letter_return)
app.command("awaiting")(letter_awaiting)

# The post (letter_post.py): who answers a letter received, by when, and the reply.
app.command("assign")(letter_assign)
app.command("answered")(letter_answered)
app.command("reply")(letter_reply)
