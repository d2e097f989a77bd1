"""corr letter assign, answered and reply: the post, a letter received owned, answered and replied to
(register/post.py, drafting/reply.py); registered on corr letter in letter.py."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    Db,
    DraftDate,
    Json,
    OptionalOffice,
    OutDir,
    emit_json,
    human_date,
    option_date,
    store_at,
)


def letter_assign(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The letter received: its reference, or #ID.")],
    owner: Annotated[Optional[str], typer.Option("--owner", help="Who answers it: a user's login or full name.")] = None,
    reply_by: Annotated[Optional[str], typer.Option("--reply-by", help="The day it should be answered by.")] = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Give a letter received its owner and reply-by date: it stays on the dashboard, and on its
    owner's list, until it is answered (a reply marked sent, or 'letter answered').

    Example: corr letter assign "#12" --owner "Dan Example" --reply-by "20 March 2025"
    """
    from correspondence.register.letters import get_letter
    from correspondence.register.post import assign, find_owner

    due = option_date(reply_by, "--reply-by")
    with store_at(db).transaction() as session:
        letter = get_letter(session, reference, office)
        person = find_owner(session, letter.office, owner) if owner else letter.owner
        assign(session, letter, owner=person, reply_by=due if reply_by else letter.reply_by)
        data = {"letter": letter.label, "owner": person.display_name if person else None,
                "reply_by": letter.reply_by.isoformat() if letter.reply_by else None}
    if json_output:
        emit_json(data)
    else:
        by = f", reply by {human_date(data['reply_by'])}" if data["reply_by"] else ""
        typer.echo(f"letter {data['letter']}: owned by {data['owner'] or 'nobody'}{by}")


def letter_answered(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The letter received: its reference, or #ID.")],
    date: Annotated[str, typer.Option("--date", help="The day it was answered, or found to need no reply.")],
    no_reply_needed: Annotated[bool, typer.Option("--no-reply-needed", help="It needs no reply (else: it was answered outside the tool).")] = False,
    note: Annotated[str, typer.Option("--note", help="How it was answered, kept in the log.")] = "",
    office: OptionalOffice = None,
    db: Db = None,
) -> None:
    """Say a letter received was answered outside the tool (a phone call, an e-mail), or needs no
    reply: it leaves the letters to answer. A reply drafted here answers it when marked sent.

    Example: corr letter answered "#12" --date 21/3/2025 --note "Answered by phone"

    Example: corr letter answered "#12" --date 21/3/2025 --no-reply-needed
    """
    import datetime as dt

    from correspondence.register.letters import get_letter
    from correspondence.register.post import ANSWERED_HOW, mark_answered

    on = option_date(date, "--date")
    how = ANSWERED_HOW[0] if no_reply_needed else ANSWERED_HOW[1]
    with store_at(db).transaction() as session:
        letter = get_letter(session, reference, office)
        mark_answered(session, letter, on=on, how=how, note=note, today=dt.date.today())
        label = letter.label
    typer.echo(f"letter {label}: {how}, {human_date(on)}")


def letter_reply(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The letter received: its reference, or #ID.")],
    date: DraftDate = None,
    out: OutDir = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Draft a reply to a letter received, addressed to its sender, with their reference as "Your
    ref" and the next of the office's references as "Our ref". Marking the reply sent answers the letter.

    Example: corr letter reply "#12" --date 21/3/2025
    """
    import datetime as dt

    from correspondence.drafting.drafts import DraftRequest
    from correspondence.drafting.reply import draft_reply
    from correspondence.files.letter_files import default_folder
    from correspondence.records.transactions import in_one_transaction
    from correspondence.register.letters import get_letter

    letter_date = option_date(date, "--date") or dt.date.today()

    def work(session: Any) -> dict[str, Any]:
        received = get_letter(session, reference, office)
        request = DraftRequest(office=received.office.short_name, letter_date=letter_date, today=dt.date.today(),
                               out_dir=out, copy_dir=default_folder())
        draft = draft_reply(session, received, request)
        return {"reference": draft.reference, "letter_id": draft.letter_id, "in_reply_to": received.label,
                "addressee": draft.addressee, "copy": str(draft.path) if draft.path else None}

    data = in_one_transaction(store_at(db), work)
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"drafted {data['reference']}, a reply to {data['in_reply_to']}, to {data['addressee'] or '(no addressee)'}: "
                   f"{data['copy'] or '(kept in the store)'}")
