"""importers (issue 13)

Reserved so that work on several issues at once can each own one migration file in a fixed
order. It changes nothing until that work fills it in.

Revision ID: 0010
Revises: 0009
"""

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
