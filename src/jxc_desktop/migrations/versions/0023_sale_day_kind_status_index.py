"""The documents of a period counted from an index alone (issue 15, profit summary)

The profit summary counts the period's posted sales and returns (per day, or in all) with
``WHERE business_day BETWEEN … AND status = 'posted'`` grouped by day or kind. Over
``ix_sale_business_day_kind`` (business_day, kind) SQLite fetched every sale's table row to read its
status — 270 000 rows for a year of a busy shop, ~0.1 s of each summary. ``ix_sale_day_kind_status``
(business_day, kind, status) answers those counts by itself and serves every query the old index
served (same leading columns), so the old one goes.

Index DDL only, in the one transaction db/migrate.py runs every upgrade in: a kill leaves 0022.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 10:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_sale_day_kind_status', 'sale', ['business_day', 'kind', 'status'], unique=False)
    op.drop_index('ix_sale_business_day_kind', table_name='sale')


def downgrade() -> None:
    op.create_index('ix_sale_business_day_kind', 'sale', ['business_day', 'kind'], unique=False)
    op.drop_index('ix_sale_day_kind_status', table_name='sale')
