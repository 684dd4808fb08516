"""sale_line repeats its sale's business_day/kind/status; covering index for the profit summary

The profit summary over a year read every line through a join to its sale (~1 s at 1 000 000
lines); with the sale's day, kind and status on the line it reads one index range instead.
The new columns are filled from the sale table with one UPDATE before they become NOT NULL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:05:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_COLUMNS = ['kind', 'status', 'business_day', 'product_id', 'qty', 'amount', 'discount', 'cost']


def upgrade() -> None:
    with op.batch_alter_table('sale_line', schema=None) as batch_op:  # nullable first: plain ADD COLUMN
        batch_op.add_column(sa.Column('business_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=12), nullable=True))
    op.execute("UPDATE sale_line SET business_day = s.business_day, kind = s.kind, status = s.status "
               "FROM sale AS s WHERE s.id = sale_line.sale_id")
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.alter_column('business_day', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('kind', existing_type=sa.String(length=12), nullable=False)
        batch_op.alter_column('status', existing_type=sa.String(length=12), nullable=False)
        batch_op.create_index('ix_sale_line_report', REPORT_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sale_line', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_line_report')
        batch_op.drop_column('status')
        batch_op.drop_column('kind')
        batch_op.drop_column('business_day')
