"""hostile input (issue 8)

Reserved so that work on several issues at once can each own one migration file in a fixed
order. It changes nothing until that work fills it in.

Revision ID: 0005
Revises: 0004
"""

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
