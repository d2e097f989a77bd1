"""an office runs itself in the browser (issue 24)

- setup_links: the one-time setup link `corr serve` prints on an empty store (its token's SHA-256).
- form_posts: the token of each form acted on, so a second identical POST changes nothing.
- offices.require_approval: on by default for an office added from now on; offices already stored
  keep what they had.
- standard_lines.retired_on: a line retired is kept but no longer offered.
- letters: the post (owner_id, reply_by, answered_on; in_reply_to_id and their_reference for a
  reply) and a withdrawn draft (withdrawn_at, withdrawn_by, withdrawn_reason).
- inspection_corrections: findings, judgments and figures added, corrected or removed by hand, with
  who, when, why and the wording before and after.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'setup_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_links')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_setup_links_token_sha256')),
    )
    op.create_table(
        'form_posts',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_form_posts')),
    )
    op.create_index(op.f('ix_form_posts_posted_at'), 'form_posts', ['posted_at'], unique=False)
    op.create_table(
        'inspection_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('subject', sa.String(length=20), nullable=False),
        sa.Column('change', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('before', sa.Text(), nullable=False),
        sa.Column('after', sa.Text(), nullable=False),
        sa.Column('why', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_inspection_corrections_inspection_id_inspections'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_corrections')),
    )
    op.create_index(op.f('ix_inspection_corrections_inspection_id'), 'inspection_corrections', ['inspection_id'], unique=False)
    kept = _sqlite_triggers_and_indexes('offices') + _sqlite_triggers_and_indexes('standard_lines')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('require_approval', existing_type=sa.Boolean(), server_default=sa.true(), existing_nullable=False)
    with op.batch_alter_table('standard_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
    _make_again(kept)
    kept = _sqlite_triggers_and_indexes('letters')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_by', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('in_reply_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('their_reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_letters_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_in_reply_to_id'), ['in_reply_to_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_letters_owner_id_users'), 'users', ['owner_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_letters_in_reply_to_id_letters'), 'letters', ['in_reply_to_id'], ['id'])
    _make_again(kept)


def downgrade() -> None:
    kept = _sqlite_triggers_and_indexes('letters')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letters_in_reply_to_id_letters'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_letters_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_letters_in_reply_to_id'))
        batch_op.drop_index(batch_op.f('ix_letters_owner_id'))
        for column in ('withdrawn_reason', 'withdrawn_by', 'withdrawn_at', 'their_reference', 'in_reply_to_id', 'answered_on',
                       'reply_by', 'owner_id'):
            batch_op.drop_column(column)
    _make_again([(name, sql) for name, sql in kept if name not in ('ix_letters_owner_id', 'ix_letters_in_reply_to_id')])
    kept = _sqlite_triggers_and_indexes('offices') + _sqlite_triggers_and_indexes('standard_lines')
    with op.batch_alter_table('standard_lines', schema=None) as batch_op:
        batch_op.drop_column('retired_on')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('require_approval', existing_type=sa.Boolean(), server_default=sa.false(), existing_nullable=False)
    _make_again(kept)
    op.drop_index(op.f('ix_inspection_corrections_inspection_id'), table_name='inspection_corrections')
    op.drop_table('inspection_corrections')
    op.drop_index(op.f('ix_form_posts_posted_at'), table_name='form_posts')
    op.drop_table('form_posts')
    op.drop_table('setup_links')



def _sqlite_triggers_and_indexes(table: str) -> list[tuple[str, str]]:
    """On SQLite, batch mode rebuilds a table from what SQLAlchemy can read back of it, and drops
    what it cannot: the letters table's triggers (a sent letter refused any change, 0003 and 0005;
    the full-text index kept up to date, 0009) and 0011's index on an expression. Their SQL is read
    here first, to be made again after the rebuild."""
    if op.get_bind().dialect.name != 'sqlite':
        return []
    rows = op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = :table AND type IN ('trigger', 'index') AND sql IS NOT NULL"
    ), {"table": table})
    return [(name, sql) for name, sql in rows]


def _make_again(kept: list[tuple[str, str]]) -> None:
    """Each trigger and index read before the rebuild that the rebuild left out, made again as it was."""
    for name, sql in kept:
        exists = op.get_bind().execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = :name"), {"name": name}).first()
        if exists is None:
            op.execute(sql)
