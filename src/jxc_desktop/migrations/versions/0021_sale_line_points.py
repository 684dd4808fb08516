"""Points earned per sale line (issue 17, members' money): ``sale_line.points``, the points this line
of a member's sale earned (on a return line: the points the return took back), so a return of one
line takes back that line's share whatever the settings are by then.

One ADD COLUMN with a constant default, in the one transaction db/migrate.py runs every upgrade in:
a kill leaves the previous revision, with no half-made table.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-04 23:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('sale_line', sa.Column('points', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.drop_column('sale_line', 'points')
