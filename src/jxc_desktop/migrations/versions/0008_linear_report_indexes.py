"""Indexes that make the reports read in one pass (issue 15, "linear everywhere")

- ``ix_stock_move_time`` (created_at, product_id, kind, qty, value) replaces the one-column
  ``ix_stock_move_created_at``: stock value at a past day and the turnover report read the moves
  of a time range in time order from this index alone, instead of walking the product-ordered
  indexes with a table lookup per move;
- ``ix_sale_line_report`` gains ``sale_id`` at its end: profit by category counts each sale once
  per category from the index alone (it looked every line up in the table for its sale);
- ``ix_sale_line_product_day`` (product_id, kind, status, business_day): a product's last sale
  day is one seek (slow movers), not a walk over its lines joined to their sales;
- ``ix_stock_move_fixes`` (created_at) over cost corrections and revaluations only (a partial
  index): profit's 成本更正 column reads the few correction moves of a period, not every move of it.

Index DDL only, in the one transaction db/migrate.py runs every upgrade in: a kill leaves 0006.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_REPORT = ['kind', 'status', 'business_day', 'product_id', 'qty', 'amount', 'discount', 'cost']
MOVE_TIME = ['created_at', 'product_id', 'kind', 'qty', 'value']
PRODUCT_DAY = ['product_id', 'kind', 'status', 'business_day']
FIXES_WHERE = "kind IN ('cost_fix', 'revaluation')"  # as services/reporting/profit_fixes.py writes it


def upgrade() -> None:
    op.drop_index('ix_stock_move_created_at', table_name='stock_move')
    op.create_index('ix_stock_move_time', 'stock_move', MOVE_TIME, unique=False)
    op.drop_index('ix_sale_line_report', table_name='sale_line')
    op.create_index('ix_sale_line_report', 'sale_line', [*OLD_REPORT, 'sale_id'], unique=False)
    op.create_index('ix_sale_line_product_day', 'sale_line', PRODUCT_DAY, unique=False)
    op.create_index('ix_stock_move_fixes', 'stock_move', ['created_at'], unique=False,
                    sqlite_where=sa.text(FIXES_WHERE), postgresql_where=sa.text(FIXES_WHERE))


def downgrade() -> None:
    op.drop_index('ix_stock_move_fixes', table_name='stock_move')
    op.drop_index('ix_sale_line_product_day', table_name='sale_line')
    op.drop_index('ix_sale_line_report', table_name='sale_line')
    op.create_index('ix_sale_line_report', 'sale_line', OLD_REPORT, unique=False)
    op.drop_index('ix_stock_move_time', table_name='stock_move')
    op.create_index('ix_stock_move_created_at', 'stock_move', ['created_at'], unique=False)
