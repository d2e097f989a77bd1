"""the web workspace (issue 12): owners of responses and findings, login attempts, mail settings,
offices' own templates, and each user's choice of a morning e-mail; on PostgreSQL, each letter's
search vector stored (the register searched from the web stays quick for words most letters hold)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from correspondence.register import search

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_address', ['address', 'attempted_at'], unique=False)
        batch_op.create_index('ix_login_attempts_name', ['name', 'attempted_at'], unique=False)

    op.create_table('mail_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=200), nullable=False),
    sa.Column('port', sa.Integer(), nullable=False),
    sa.Column('security', sa.String(length=20), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('sender', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_mail_settings_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_settings')),
    sa.UniqueConstraint('office_id', name=op.f('uq_mail_settings_office_id'))
    )
    op.create_table('office_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('uploaded_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_templates_office_id_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_templates')),
    sa.UniqueConstraint('office_id', 'kind', name=op.f('uq_office_templates_office_id'))
    )
    op.create_table('finding_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['improvement_areas.id'], name=op.f('fk_finding_owners_area_id_improvement_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_finding_owners_office_id_offices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_finding_owners_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_owners')),
    sa.UniqueConstraint('office_id', 'area_id', name=op.f('uq_finding_owners_office_id'))
    )
    with op.batch_alter_table('finding_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_owners_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_owners_user_id'), ['user_id'], unique=False)

    op.create_table('response_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_response_owners_inspection_id_inspections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_response_owners_office_id_offices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_response_owners_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_owners')),
    sa.UniqueConstraint('office_id', 'inspection_id', name=op.f('uq_response_owners_office_id'))
    )
    with op.batch_alter_table('response_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_owners_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_response_owners_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('morning_email', sa.Boolean(), server_default=sa.false(), nullable=False))

    # Plain CREATE INDEX, not batch mode: on SQLite a batch could rebuild the table and lose its triggers.
    op.create_index('ix_letters_office_direction_date', 'letters', ['office_id', 'direction', 'letter_date'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for statement in search.PG_STORED:
            op.execute(statement)



def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_letters_search")
        op.execute(f"ALTER TABLE letters DROP COLUMN IF EXISTS {search.PG_VECTOR}")
        op.execute(search.PG_INDEX)
    op.drop_index('ix_letters_office_direction_date', table_name='letters')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('morning_email')

    with op.batch_alter_table('response_owners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_owners_user_id'))
        batch_op.drop_index(batch_op.f('ix_response_owners_inspection_id'))

    op.drop_table('response_owners')
    with op.batch_alter_table('finding_owners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_owners_user_id'))
        batch_op.drop_index(batch_op.f('ix_finding_owners_area_id'))

    op.drop_table('finding_owners')
    op.drop_table('office_templates')
    op.drop_table('mail_settings')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_name')
        batch_op.drop_index('ix_login_attempts_address')

    op.drop_table('login_attempts')
