"""The index a product's primary barcode is read from (issue 15, ``jxc stock``)

``ix_barcode_primary`` (product_id, multiplier, id): the stock list, its export and the command
line take each product's first single-unit barcode — the lowest multiplier, then the oldest — with
``ORDER BY multiplier, id LIMIT 1`` per product. Over the one-column ``ix_barcode_product_id`` SQLite
sorted each product's barcodes in a temporary B-tree; this index hands them over in that order, so
the first entry is the answer. ``ix_barcode_product_id`` stays: the foreign key's index, named by
the models' convention.

Index DDL only, in the one transaction db/migrate.py runs every upgrade in: a kill leaves 0021.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 07:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_barcode_primary', 'barcode', ['product_id', 'multiplier', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_barcode_primary', table_name='barcode')
