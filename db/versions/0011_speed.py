"""speed (issue 14): finding a letter by its reference uses an index

A reference is looked up as the user typed it, ignoring case and spaces (letters.get_letter), so
the plain index on reference could not answer it and every lookup read all the letters (65 ms at
100,000). This indexes the same expression the lookup compares.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_letters_reference_key", "letters", [sa.text("upper(replace(reference, ' ', ''))")])


def downgrade() -> None:
    op.drop_index("ix_letters_reference_key", table_name="letters")
