"""files in the store (issue 21): every file as immutable versions, returned letters' comments

- file_contents holds each file's bytes once per SHA-256; file_versions says whose file each
  version is, its number, name, media type, who added it, when and why. Triggers refuse any change
  to either once written (and deleting stored bytes), so a version's bytes never change.
- letter_clearances.comment: why an approver returned a letter to its drafter.
- Every letter file on disk (in the office's letters folder, or where its record said) is moved
  into the store, each checked against the SHA-256 its record holds. A draft edited in Word since
  it was drafted is kept as it is now (that is what drafts are for). A sent or received letter
  whose file differs from its record is kept as found, as its own version marked as differing, and
  reported by name; its record is not changed. A file not found is reported. Each is written to
  the event log, and the notes are handed to whoever ran the migration.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

ACTOR = "migration 0012"
PURPOSE = sa.Enum('letter', 'enclosure', 'attachment', 'source', 'publication', 'index', 'preview', name='filepurpose',
                  native_enum=False, length=32)
SQLITE_TRIGGERS = {
    "file_contents_no_update": "BEFORE UPDATE ON file_contents BEGIN SELECT RAISE(ABORT, 'a stored file is never changed; add a new version'); END",
    "file_contents_no_delete": "BEFORE DELETE ON file_contents BEGIN SELECT RAISE(ABORT, 'a stored file is never deleted'); END",
    "file_contents_no_replace": (
        "BEFORE INSERT ON file_contents WHEN EXISTS (SELECT 1 FROM file_contents WHERE id = NEW.id OR sha256 = NEW.sha256) "
        "BEGIN SELECT RAISE(ABORT, 'a stored file is never replaced'); END"
    ),
    "file_versions_no_update": "BEFORE UPDATE ON file_versions BEGIN SELECT RAISE(ABORT, 'a stored version is never changed; add a new version'); END",
    "file_versions_no_replace": (
        "BEFORE INSERT ON file_versions WHEN EXISTS (SELECT 1 FROM file_versions WHERE id = NEW.id "
        "OR (owner_key = NEW.owner_key AND purpose = NEW.purpose AND number = NEW.number)) "
        "BEGIN SELECT RAISE(ABORT, 'a stored version is never replaced'); END"
    ),
}


def upgrade() -> None:
    op.create_table('file_contents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_contents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_file_contents_sha256'))
    )
    op.create_table('file_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.Column('owner_key', sa.String(length=40), nullable=False),
    sa.Column('purpose', PURPOSE, nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('media_type', sa.String(length=200), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('why', sa.String(length=1000), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('mirror_path', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['content_id'], ['file_contents.id'], name=op.f('fk_file_versions_content_id_file_contents')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_file_versions_inspection_id_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_file_versions_letter_id_letters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_file_versions_office_id_offices')),
    sa.ForeignKeyConstraint(['response_id'], ['s55_responses.id'], name=op.f('fk_file_versions_response_id_s55_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['file_versions.id'], name=op.f('fk_file_versions_source_id_file_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_versions')),
    sa.UniqueConstraint('owner_key', 'purpose', 'number', name='uq_file_versions_owner_purpose_number')
    )
    with op.batch_alter_table('file_versions', schema=None) as batch_op:
        batch_op.create_index('ix_file_versions_letter', ['letter_id', 'purpose', 'number'], unique=False)
        batch_op.create_index('ix_file_versions_inspection', ['inspection_id'], unique=False)
        batch_op.create_index('ix_file_versions_response', ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_versions_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_versions_content_id'), ['content_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_versions_source_id'), ['source_id'], unique=False)
    with op.batch_alter_table('letter_clearances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.Text(), server_default='', nullable=False))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION corr_refuse_file_change() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'a stored file is never changed or deleted (%); add a new version', TG_TABLE_NAME; END $$"
        )
        op.execute("CREATE TRIGGER file_contents_unchangeable BEFORE UPDATE OR DELETE ON file_contents "
                   "FOR EACH ROW EXECUTE FUNCTION corr_refuse_file_change()")
        op.execute("CREATE TRIGGER file_contents_no_truncate BEFORE TRUNCATE ON file_contents "
                   "FOR EACH STATEMENT EXECUTE FUNCTION corr_refuse_file_change()")
        op.execute("CREATE TRIGGER file_versions_unchangeable BEFORE UPDATE ON file_versions "
                   "FOR EACH ROW EXECUTE FUNCTION corr_refuse_file_change()")
    else:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    _move_files_into_store(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS file_contents_unchangeable ON file_contents")
        op.execute("DROP TRIGGER IF EXISTS file_contents_no_truncate ON file_contents")
        op.execute("DROP TRIGGER IF EXISTS file_versions_unchangeable ON file_versions")
        op.execute("DROP FUNCTION IF EXISTS corr_refuse_file_change()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('letter_clearances', schema=None) as batch_op:
        batch_op.drop_column('comment')
    op.drop_table('file_versions')
    op.drop_table('file_contents')


# --- moving the files on disk into the store --------------------------------------------------


def _move_files_into_store(connection: sa.Connection) -> None:
    letters = sa.table("letters", sa.column("id", sa.Integer), sa.column("office_id", sa.Integer), sa.column("reference", sa.String),
                       sa.column("status", sa.String), sa.column("file_path", sa.String), sa.column("file_sha256", sa.String))
    offices = sa.table("offices", sa.column("id", sa.Integer), sa.column("letters_dir", sa.String))
    folders = {row.id: row.letters_dir for row in connection.execute(sa.select(offices.c.id, offices.c.letters_dir))}
    rows = connection.execute(sa.select(letters).where(letters.c.file_path.isnot(None)).order_by(letters.c.id)).all()
    if not rows:
        return
    default = _default_folder()
    notes: list[str] = []
    events: list[dict] = []
    now = dt.datetime.now(dt.timezone.utc)
    for row in rows:
        label = row.reference or f"#{row.id}"
        folder = Path(folders[row.office_id]) if folders.get(row.office_id) else default
        recorded = Path(row.file_path)
        path = recorded if recorded.is_absolute() else folder.joinpath(*PurePosixPath(row.file_path).parts)
        try:
            content = path.read_bytes()
        except OSError as error:
            note = f"letter {label}: its file {path} could not be read ({error.strerror or 'missing'}); nothing was stored for it"
            notes.append(note)
            events.append({"entity": "letters", "entity_id": row.id, "change": "update", "data": {"note": note}})
            continue
        sha256 = hashlib.sha256(content).hexdigest()
        why = f"moved into the store from {path}"
        if row.file_sha256 and sha256 != row.file_sha256:
            if row.status == "draft":
                why += " (edited since it was drafted)"
                connection.execute(letters.update().where(letters.c.id == row.id).values(file_sha256=sha256))
            else:
                why += f"; NOT the file recorded when it was {row.status}: its SHA-256 differs (recorded {row.file_sha256})"
                notes.append(f"letter {label}: {path} is not the file recorded when it was {row.status} (its SHA-256 differs); "
                             "kept as found, as a version marked as differing")
        version_id = _store(connection, row, path, content, sha256, why, now)
        events.append({"entity": "file_versions", "entity_id": version_id, "change": "create",
                       "data": {"letter_id": row.id, "sha256": sha256, "why": why}})
    if events:
        table = sa.table("events", sa.column("occurred_at", sa.DateTime(timezone=True)), sa.column("actor", sa.String),
                         sa.column("entity", sa.String), sa.column("entity_id", sa.Integer), sa.column("change", sa.String),
                         sa.column("data", sa.JSON))
        connection.execute(table.insert(), [{"occurred_at": now, "actor": ACTOR, **event} for event in events])
    reported = op.get_context().config.attributes.setdefault("notes", []) if op.get_context().config else None
    if reported is not None:
        reported.extend(notes)


def _store(connection: sa.Connection, row: sa.Row, path: Path, content: bytes, sha256: str, why: str, now: dt.datetime) -> int:
    contents = sa.table("file_contents", sa.column("id", sa.Integer), sa.column("sha256", sa.String), sa.column("size", sa.Integer),
                        sa.column("content", sa.LargeBinary))
    versions = sa.table("file_versions", *(sa.column(name) for name in (
        "id", "office_id", "letter_id", "owner_key", "purpose", "number", "content_id", "sha256", "size", "file_name",
        "media_type", "added_by", "added_at", "why", "mirror_path")))
    content_id = connection.scalar(sa.select(contents.c.id).where(contents.c.sha256 == sha256))
    if content_id is None:
        content_id = connection.execute(contents.insert().values(sha256=sha256, size=len(content), content=content)
                                        .returning(contents.c.id)).scalar_one()
    media = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(path.suffix.lower()) \
        or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return connection.execute(versions.insert().values(
        office_id=row.office_id, letter_id=row.id, owner_key=f"letter:{row.id}", purpose="letter", number=1, content_id=content_id,
        sha256=sha256, size=len(content), file_name=path.name[:300], media_type=media, added_by=ACTOR, added_at=now,
        why=why[:1000], mirror_path=str(path)[:1000],
    ).returning(versions.c.id)).scalar_one()


def _default_folder() -> Path:
    """Where an office without its own folder kept its letters before this revision: the letters
    setting, else letters/ beside the folder's corr.toml, else letters/ in the working folder."""
    from correspondence.records import settings

    setting = settings.lookup("letters")
    if setting is not None:
        return setting.as_path().resolve()
    folder_file = settings.folder_file()
    return (folder_file.parent / "letters" if folder_file else Path("letters")).resolve()
