"""corrections, references and backups (issue 9)

- inspections.force_id may be empty: a national or thematic report concerns no single force;
- force updates can be retracted (who, when, why) and remember when they were recorded and which
  annex request they answered;
- annex_requests and annex_request_rows record what each findings table sent to a force said;
- offices.letters_dir: the folder holding an office's letters. Existing letters' absolute file
  paths are converted to paths relative to it, so the folder can be moved; each conversion is
  written to the event log.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ACTOR = "migration 0006"


def upgrade() -> None:
    op.create_table('annex_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('form', sa.String(length=10), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_annex_requests_inspection_id_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_annex_requests_letter_id_letters'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annex_requests'))
    )
    with op.batch_alter_table('annex_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annex_requests_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annex_requests_letter_id'), ['letter_id'], unique=False)

    op.create_table('annex_request_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('not started', 'in progress', 'complete', name='updatestatus', native_enum=False, length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['improvement_areas.id'], name=op.f('fk_annex_request_rows_area_id_improvement_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['annex_requests.id'], name=op.f('fk_annex_request_rows_request_id_annex_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['force_updates.id'], name=op.f('fk_annex_request_rows_update_id_force_updates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annex_request_rows'))
    )
    with op.batch_alter_table('annex_request_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annex_request_rows_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('force_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retracted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retracted_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('retraction_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_force_updates_request_id_annex_requests'), 'annex_requests', ['request_id'], ['id'], ondelete='SET NULL')

    # On SQLite this rebuilds the table; Store.migrate turns foreign keys off around migrations
    # so that dropping the old copy does not cascade to judgments, measures and areas.
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.alter_column('force_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letters_dir', sa.String(length=1000), nullable=True))

    _relative_letter_paths()


def downgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('letters_dir')

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.alter_column('force_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('force_updates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_force_updates_request_id_annex_requests'), type_='foreignkey')
        batch_op.drop_column('retraction_reason')
        batch_op.drop_column('retracted_by')
        batch_op.drop_column('retracted_at')
        batch_op.drop_column('request_id')
        batch_op.drop_column('recorded_at')

    with op.batch_alter_table('annex_request_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annex_request_rows_request_id'))

    op.drop_table('annex_request_rows')
    with op.batch_alter_table('annex_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annex_requests_letter_id'))
        batch_op.drop_index(batch_op.f('ix_annex_requests_inspection_id'))

    op.drop_table('annex_requests')
    # Paths stay relative: a downgraded tool finds them relative to the working folder's letters/.


# --- letter paths relative to the office's letters folder ----------------------------------------


def _relative_letter_paths() -> None:
    """Give each office with letter files a letters folder (the folder most of its files are in,
    the parent of an imported/ folder), and store its letters' paths relative to it."""
    connection = op.get_bind()
    letters = sa.table("letters", sa.column("id", sa.Integer), sa.column("office_id", sa.Integer),
                       sa.column("file_path", sa.String))
    offices = sa.table("offices", sa.column("id", sa.Integer), sa.column("letters_dir", sa.String))
    rows = [row for row in connection.execute(sa.select(letters.c.id, letters.c.office_id, letters.c.file_path))
            if row.file_path and Path(row.file_path).is_absolute()]
    if not rows:
        return
    by_office: dict[int, list] = {}
    for row in rows:
        by_office.setdefault(row.office_id, []).append(row)
    changes = []
    for office_id, office_rows in by_office.items():
        folders = Counter(_home_folder(Path(row.file_path)) for row in office_rows)
        folder = folders.most_common(1)[0][0]
        connection.execute(offices.update().where(offices.c.id == office_id).values(letters_dir=str(folder)))
        changes.append(("offices", office_id, {"letters_dir": [None, str(folder)]}))
        for row in office_rows:
            try:
                relative = PurePosixPath(*Path(row.file_path).relative_to(folder).parts)
            except ValueError:
                continue  # a file outside the folder keeps its absolute path
            changes.append(("letters", row.id, {"file_path": [row.file_path, str(relative)]}))
    with _sent_letters_changeable(connection):
        for entity, entity_id, data in changes:
            if entity == "letters":
                connection.execute(letters.update().where(letters.c.id == entity_id).values(file_path=data["file_path"][1]))
    _log(connection, changes)


def _home_folder(path: Path) -> Path:
    parent = path.parent
    return parent.parent if parent.name == "imported" else parent


class _sent_letters_changeable:
    """Lift the rule that a sent letter's record cannot change, for this migration's path update only."""

    def __init__(self, connection) -> None:  # noqa: ANN001
        self.connection = connection
        self.saved: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(sa.text("ALTER TABLE letters DISABLE TRIGGER USER"))
            return
        triggers = self.connection.execute(sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'letters'"
        )).all()
        self.saved = [(name, sql) for name, sql in triggers if re.search(r"\bBEFORE\s+UPDATE\b", sql, re.IGNORECASE)]
        for name, _ in self.saved:
            self.connection.execute(sa.text(f'DROP TRIGGER "{name}"'))

    def __exit__(self, *_exc) -> None:  # noqa: ANN002
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(sa.text("ALTER TABLE letters ENABLE TRIGGER USER"))
            return
        for _, sql in self.saved:
            self.connection.execute(sa.text(sql))


def _log(connection, changes: list) -> None:  # noqa: ANN001
    events = sa.table("events", sa.column("occurred_at", sa.DateTime(timezone=True)), sa.column("actor", sa.String),
                      sa.column("entity", sa.String), sa.column("entity_id", sa.Integer), sa.column("change", sa.String),
                      sa.column("data", sa.JSON))
    now = dt.datetime.now(dt.timezone.utc)
    connection.execute(events.insert(), [
        {"occurred_at": now, "actor": ACTOR, "entity": entity, "entity_id": entity_id, "change": "update", "data": data}
        for entity, entity_id, data in changes
    ])
