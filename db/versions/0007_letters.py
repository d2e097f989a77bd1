"""letters an office would send (issue 10)

Reserved so that work on several issues at once can each own one migration file in a fixed
order. It changes nothing until that work fills it in.

Revision ID: 0007
Revises: 0006
"""

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
