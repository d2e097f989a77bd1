"""corrections, references and backups (issue 9)

Reserved so that work on several issues at once can each own one migration file in a fixed
order. It changes nothing until that work fills it in.

Revision ID: 0006
Revises: 0005
"""

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
