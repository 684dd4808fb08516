"""Profit by product over a long period without sorting its lines (issue 15, the reports tab < 1 s)

Profit by product sums the period's posted sale lines per product. From ``ix_sale_line_report``
(kind, status, business_day, …) SQLite reads them in day order and must sort them by product to
group them: at a year of a busy shop (1 M lines) the sort was 0.4 s of the 0.53 s the aggregate
took. ``ix_sale_line_sold_product`` holds only the posted sales' lines (the WHERE clause), in product
order, with the figures summed (and kind, status: so that SQLite reads the index alone): grouped as
they are read, 0.34 s. It holds every year, so services/reporting/profit.py takes it only when the
period covers much of the shop's history; a short period still reads its day range of the other.
About 26 MB per million lines; one more index entry per line posted.

Index DDL only, in the one transaction db/migrate.py runs every upgrade in: a kill leaves 0024.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 17:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As of this revision (db/models.py: SOLD_PRODUCT_INDEX, SOLD_PRODUCT_WHERE).
COLUMNS = ['product_id', 'business_day', 'qty', 'amount', 'discount', 'cost', 'kind', 'status']
WHERE = "kind = 'sale' AND status = 'posted'"


def upgrade() -> None:
    op.create_index('ix_sale_line_sold_product', 'sale_line', COLUMNS, unique=False,
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade() -> None:
    op.drop_index('ix_sale_line_sold_product', table_name='sale_line')
