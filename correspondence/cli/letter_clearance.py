"""corr letter submit, approve, return, awaiting and sent: a draft's way out, through clearance to the post.

Registered on ``corr letter`` by letter.py; kept apart because they are the one part of the register's
commands that clears and sends rather than records and finds.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    ActingAs,
    Db,
    Json,
    OptionalOffice,
    acting,
    emit_json,
    human_date,
    option_date,
    print_table,
    store_at,
)


def letter_sent(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    date: Annotated[str, typer.Option("--date", help="The day it was sent (for a s.55 response: to the Home Secretary).")],
    hmicfrs_date: Annotated[Optional[str], typer.Option("--hmicfrs-date", help="For a s.55 response: the day HMICFRS's copy went (default: --date).")] = None,
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Mark a draft as sent, as its current version: from then on the letter and its file cannot
    change (edits made in Word come back first with 'letter version add').

    A s.55 response records its copies to the Home Secretary and HMICFRS, each with its date
    (s.55(6)). Where the office requires approval ('office set --require-approval'), a letter not
    approved as its file now stands is refused.

    Example: corr letter sent MOPAC06092018-D2188 --date 7/9/2018 --hmicfrs-date 10/9/2018
    """
    import datetime as dt

    from correspondence.cli.views import letter_view
    from correspondence.process.clearance import clearance_state
    from correspondence.process.sending import mark_sent
    from correspondence.register.letters import get_letter

    sent_on = option_date(date, "--date")
    hmicfrs_on = option_date(hmicfrs_date, "--hmicfrs-date")
    with acting(acting_user), store_at(db).transaction() as session:
        letter = get_letter(session, reference, office)
        state = clearance_state(session, letter)
        note = state.describe() if state.void else None
        data = letter_view(mark_sent(session, letter, sent_on, dt.date.today(), hmicfrs_on=hmicfrs_on))
        from correspondence.tracking.inspections import get_response

        response = get_response(session, letter.office, letter.inspection) if letter.inspection else None
        copies = [{"to": copy.recipient, "sent_on": copy.sent_on.isoformat()} for copy in response.copies
                  if copy.letter_id == letter.id] if response else []
        data["copies"] = copies
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"marked {data['reference'] or '#' + str(data['id'])} sent on {human_date(data['sent_on'])}")
        if copies:
            typer.echo("copies (s.55(6)): " + "; ".join(f"{c['to']} {human_date(c['sent_on'])}" for c in copies))
    if note:
        typer.echo(f"note: {data['reference'] or '#' + str(data['id'])}'s {note}", err=True)



def letter_submit(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Put a draft up for approval, as its current version (needs a drafter or above).

    Example: corr letter submit MOPAC06092018-D2188 --as jsmith
    """
    _clear(reference, office, acting_user, db, json_output, approve=False)



def letter_approve(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Approve a submitted draft: exactly its current version, by its SHA-256 (needs an approver).

    A new version afterwards voids the approval. Where the office requires approval, the
    person who drafted or submitted it cannot approve it.

    Example: corr letter approve MOPAC06092018-D2188 --as pat
    """
    _clear(reference, office, acting_user, db, json_output, approve=True)



def letter_return(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    comment: Annotated[str, typer.Option("--comment", help="What the drafter should change (required).")],
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Return a submitted draft to the drafter with comments, instead of approving it (needs an approver).

    The comments are kept with the letter and shown on its timeline. The drafter then makes a new
    version and submits that: the version returned cannot be submitted again. Where the office
    requires approval, the person who drafted or submitted it cannot return it either.

    Example: corr letter return MOPAC06092018-D2188 --comment "Say when the audit will report." --as pat
    """
    _clear(reference, office, acting_user, db, json_output, approve=False, comment=comment)



def letter_awaiting(
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The letters submitted and awaiting your approval, the longest waiting first: those you may
    approve (not the ones you drafted or submitted, where the office requires a second person).

    Example: corr letter awaiting --as pat
    """
    from correspondence.organisation.users import get_user
    from correspondence.process.approvals import awaiting_approval
    from correspondence.records.store import current_actor

    with acting(acting_user), store_at(db).reading() as session:
        user = get_user(session, current_actor())
        rows = [{"reference": item.letter.reference, "id": item.letter.id, "letter_date": item.letter.letter_date.isoformat(),
                 "to": ", ".join(part for part in (item.letter.addressee_name, item.letter.addressee_role) if part),
                 "subject": item.letter.subject, "submitted_by": item.submitted_by.name,
                 "submitted_on": item.submitted_on.isoformat()}
                for item in awaiting_approval(session, user.office, user)]
        name, short = user.name, user.office.short_name
    if json_output:
        emit_json(rows)
        return
    print_table(f"{len(rows)} letter{'s' if len(rows) != 1 else ''} of {short} awaiting approval by {name}",
                ["Letter", "Date", "To", "Subject", "Submitted by", "Submitted on"],
                [[row["reference"] or f"#{row['id']}", human_date(row["letter_date"]), row["to"], row["subject"],
                  row["submitted_by"], human_date(row["submitted_on"])] for row in rows])



def _clear(reference: str, office: Optional[str], acting_user: Optional[str], db: Optional[str], json_output: bool, *,
           approve: bool, comment: Optional[str] = None) -> None:
    from correspondence.process import clearance, clearance_mail
    from correspondence.register.letters import get_letter

    with acting(acting_user), store_at(db).transaction() as session:
        letter = get_letter(session, reference, office)
        if comment is not None:
            step = clearance.return_to_drafter(session, letter, comment)
        else:
            step = clearance.approve(session, letter) if approve else clearance.submit(session, letter)
        notices = clearance_mail.notices(session)
        data = {"reference": letter.reference, "id": letter.id, "step": step.step.value, "by": step.user.name,
                "file_sha256": step.file_sha256, "version": clearance.version_name(session, letter, step.file_sha256),
                "comment": step.comment or None, "approval": approval_state(session, letter)}
    data["mail"] = [notice.summary() for notice in notices]  # once committed: who was e-mailed, or why nobody was
    if json_output:
        emit_json(data)
        return
    label = data["reference"] or f"#{data['id']}"
    if comment is not None:
        typer.echo(f"returned {label} ({data['version']}) to the drafter as {data['by']}, with your comments; "
                   f"it goes up again as a new version with 'corr letter submit {label}'")
    elif approve:
        version = data["version"] if data["version"].startswith("version") else "the version"
        typer.echo(f"approved {label} as {data['by']}: exactly {version} with SHA-256 {data['file_sha256'][:12]}...; "
                   "a new version from now on voids the approval")
    else:
        typer.echo(f"submitted {label} for approval as {data['by']}; an approver approves it with 'corr letter approve {label}'")
    for line in data["mail"]:
        typer.echo(f"note: {line}", err=True)



def approval_state(session: Any, letter: Any) -> Optional[str]:
    """Where an outgoing draft stands in clearance, or how the sent letter was cleared."""
    from correspondence.process.clearance import clearance_state
    from correspondence.records.vocabulary import Direction

    if letter.direction is not Direction.OUT:
        return None
    state = clearance_state(session, letter)
    if state.submitted is None and state.approved is None:
        return "not submitted for approval" if letter.status.value == "draft" else None
    return state.describe()
