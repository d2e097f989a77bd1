"""whom a finding is for; figures confirmed and chosen (issue 23)

- improvement_areas.for_whom: whom the finding asks to act (the force, the office itself, the Home
  Office, the College of Policing, the NPCC or another body, named in for_name). Every finding
  stored before this revision was for the force, as the letters treated it.
- measures.phrase: the figure's label as a phrase a person confirmed, for the sentence a letter
  makes of it; empty until confirmed, and an unconfirmed figure is never quoted.
- measures.period: the period a figure is for when the importer saw it is not the report's own.
- measures.quoted: the office chose this figure for its letters.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

FINDING_FOR = sa.Enum('force', 'office', 'Home Office', 'College of Policing', 'NPCC', 'other',
                      name='findingfor', native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table('improvement_areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('for_whom', FINDING_FOR, server_default='force', nullable=False))
        batch_op.add_column(sa.Column('for_name', sa.String(length=200), nullable=True))
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phrase', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('period', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('quoted', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_column('quoted')
        batch_op.drop_column('period')
        batch_op.drop_column('phrase')
    with op.batch_alter_table('improvement_areas', schema=None) as batch_op:
        batch_op.drop_column('for_name')
        batch_op.drop_column('for_whom')
