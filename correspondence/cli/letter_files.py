"""corr letter version and corr letter file, attach: a letter's files, kept in the store.

A draft edited in Word comes back as a new version (``corr letter version add``), which is what is
then submitted, approved, sent and published; ``corr letter file`` writes any version out to open it.
Registered on ``corr letter`` by letter.py.
"""

from __future__ import annotations

from pathlib import Path
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
    print_table,
    store_at,
)
from correspondence.records.errors import CorrespondenceError

version_app = typer.Typer(no_args_is_help=True, help="A letter's versions: each file edited in Word, kept in order.")

Reference = Annotated[str, typer.Argument(metavar="REF", help="The letter's reference, or #ID.")]
Why = Annotated[str, typer.Option("--why", help="What changed, or what the file is, e.g. \"the Chief Executive's edits\".")]


@version_app.command("add")
def version_add(
    reference: Reference,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The edited letter: a Word .docx file.")],
    why: Why,
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Store FILE as the draft's next version: it becomes the letter that is submitted, approved, sent
    and published. Earlier versions stay; any approval is void, so submit it again.

    Example: corr letter version add MOPAC06092018-D2188 letters/MOPAC06092018-D2188.docx --why "Chief Executive's edits"
    """
    from correspondence.files.letter_versions import add_version
    from correspondence.register.letters import get_letter

    content = _read(file)
    with acting(acting_user):
        def work(session: Any) -> dict[str, Any]:
            letter = get_letter(session, reference, office)
            return _version_view(add_version(session, letter, content, file_name=file.name, why=why)) | {"letter": letter.label}

        data = _run(db, work)
    if json_output:
        emit_json(data)
        return
    typer.echo(f"stored {file.name} as version {data['number']} of {data['letter']}; it is now the letter "
               "(any approval is void: submit it again)")


@version_app.command("list")
def version_list(reference: Reference, office: OptionalOffice = None, db: Db = None, json_output: Json = False) -> None:
    """Every version of a letter's file, oldest first, with who added it, when and why.

    Example: corr letter version list MOPAC06092018-D2188
    """
    from correspondence.files.letter_versions import letter_versions
    from correspondence.register.letters import get_letter

    with store_at(db).reading() as session:
        letter = get_letter(session, reference, office)
        data = [_version_view(version) for version in letter_versions(session, letter)]
        label = letter.label
    if json_output:
        emit_json(data)
        return
    if not data:
        typer.echo(f"letter {label} has no file")
        return
    print_table(f"Versions of {label}", ["Version", "File", "Added by", "On", "Why"], [
        [str(item["number"]) + (" (current)" if item is data[-1] else ""), item["file_name"], item["added_by"],
         human_date(item["added_at"][:10]), item["why"]] for item in data
    ])


def letter_file(
    reference: Reference,
    to: Annotated[Optional[Path], typer.Option("--to", help="Where to write it: a new file, or a folder [default: the file's own name here].")] = None,
    version: Annotated[Optional[int], typer.Option("--version", help="Which version [default: the current one].")] = None,
    office: OptionalOffice = None,
    db: Db = None,
) -> None:
    """Write a letter's file (its current version, or --version N) out of the store, to open it.
    An existing file is never replaced.

    Example: corr letter file MOPAC06092018-D2188 --version 1 --to first-draft.docx
    """
    from correspondence.files.letter_versions import letter_versions
    from correspondence.files.outputs import atomic_file
    from correspondence.files.versions import read_bytes
    from correspondence.register.letters import get_letter

    with store_at(db).reading() as session:
        letter = get_letter(session, reference, office)
        versions = letter_versions(session, letter)
        if not versions:
            raise CorrespondenceError(f"letter {letter.label} has no file")
        chosen = versions[-1] if version is None else next((v for v in versions if v.number == version), None)
        if chosen is None:
            raise CorrespondenceError(f"letter {letter.label} has versions 1 to {versions[-1].number}, not {version}")
        content, name = read_bytes(session, chosen), chosen.file_name
    target = (to / name if to.is_dir() else to) if to is not None else Path(name)
    with atomic_file(target, hint="choose another name with --to") as temporary:
        temporary.write_bytes(content)
    typer.echo(f"wrote version {chosen.number} of {reference} to {target}")


def letter_attach(
    reference: Reference,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The enclosure or attachment.")],
    why: Why,
    office: OptionalOffice = None,
    acting_user: ActingAs = None,
    db: Db = None,
) -> None:
    """Keep a file with a letter: an enclosure sent with a draft of ours, or an attachment that came
    with a letter received (the annexes of the chief officer's reply).

    Example: corr letter attach "#12" annex-b-action-plan.pdf --why "Annex B: the force's action plan"
    """
    from correspondence.files.letter_versions import add_attachment
    from correspondence.register.letters import get_letter

    content = _read(file)
    with acting(acting_user):
        def work(session: Any) -> str:
            letter = get_letter(session, reference, office)
            add_attachment(session, letter, content, file_name=file.name, why=why)
            return letter.label

        label = _run(db, work)
    typer.echo(f"kept {file.name} with letter {label}")


def _run(db: str | None, work: Any) -> Any:
    from correspondence.records.transactions import in_one_transaction

    return in_one_transaction(store_at(db), work)


def _read(file: Path) -> bytes:
    """The file's bytes, at most the largest file kept; the library admits them through the gate
    (files/gate.py) for what they are taken as."""
    from correspondence.files import gate

    return gate.read_limited(file, str(file), gate.MAX_DOCUMENT_BYTES)


def _version_view(version: Any) -> dict[str, Any]:
    return {"number": version.number, "file_name": version.file_name, "sha256": version.sha256, "size": version.size,
            "media_type": version.media_type, "added_by": version.added_by, "added_at": version.added_at.isoformat(),
            "why": version.why}
