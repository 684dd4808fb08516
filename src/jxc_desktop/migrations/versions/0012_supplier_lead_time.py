"""The supplier's lead time (issue 20, "season and trend"): ``supplier.lead_time_days``, the days
from ordering to delivery that the seasonal reorder rule plans over (0: not known, the shop's
default ``reorder_lead_days`` applies).

One ADD COLUMN with a constant default, in the one transaction db/migrate.py runs every upgrade in:
a kill leaves the previous revision, with no half-made table.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 20:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('supplier', sa.Column('lead_time_days', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.drop_column('supplier', 'lead_time_days')
