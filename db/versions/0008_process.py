"""the section 55 process (issue 11)

Reserved so that work on several issues at once can each own one migration file in a fixed
order. It changes nothing until that work fills it in.

Revision ID: 0008
Revises: 0007
"""

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
