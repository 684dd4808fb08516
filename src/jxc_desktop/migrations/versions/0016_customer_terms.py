"""Customers' payment terms (issue 16, "money owed"): ``customer.terms_days``, the days a sale on the
customer's account may stay unpaid before it falls due (0: due on the day of the sale, as before).

One ADD COLUMN with a constant default, in the one transaction db/migrate.py runs every upgrade in:
a kill leaves the previous revision, with no half-made table.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 21:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('customer', sa.Column('terms_days', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.drop_column('customer', 'terms_days')
