"""speed (issue 14): indexes for the register's commands at 100,000 letters

Revision ID: 0011
Revises: 0010
"""

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
