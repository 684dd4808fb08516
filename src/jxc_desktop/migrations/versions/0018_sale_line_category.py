"""Each sale line carries its product's category (issue 15: profit by category < 1 s at 1 M lines)

- ``sale_line.category_id`` (ADD COLUMN, NULL for an uncategorized product), filled from the
  product by one UPDATE; from then on written when a line is posted and moved along when a
  product changes category (db/models.py ``_lines_follow_categories``; ``jxc check`` verifies
  the copy). The history follows the product, as every other report by category reads it.
- ``ix_sale_line_category`` (kind, status, category_id, business_day, sale_id, sums): profit by
  category reads one index range per category and kind, in (day, sale) order, no join to the
  products and no sort of a year of lines.
- ``ix_sale_line_product_day`` gains ``category_id`` at its end: ``jxc check`` compares every
  line's copy with its product's category from this index alone (a product's lines, one seek),
  not by reading a million table rows; a product's last sale day still reads its prefix.

ADD COLUMN, an UPDATE and CREATE INDEX in the one transaction db/migrate.py runs every upgrade
in: a kill leaves 0016 (no half-filled column, no index without its column).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 23:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as db/models.py LINE_CATEGORY_INDEX (a migration keeps its own copy: the model may change later)
INDEX = ['kind', 'status', 'category_id', 'business_day', 'sale_id', 'qty', 'amount', 'discount', 'cost']
PRODUCT_DAY = ['product_id', 'kind', 'status', 'business_day']


def upgrade() -> None:
    # plain SQL (SQLite and PostgreSQL alike): alembic's add_column would want a batch rebuild for the REFERENCES
    op.execute("ALTER TABLE sale_line ADD COLUMN category_id INTEGER REFERENCES category (id)")
    op.execute("UPDATE sale_line SET category_id = "
               "(SELECT p.category_id FROM product p WHERE p.id = sale_line.product_id)")
    op.create_index('ix_sale_line_category', 'sale_line', INDEX, unique=False)
    op.drop_index('ix_sale_line_product_day', table_name='sale_line')
    op.create_index('ix_sale_line_product_day', 'sale_line', [*PRODUCT_DAY, 'category_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sale_line_product_day', table_name='sale_line')
    op.create_index('ix_sale_line_product_day', 'sale_line', PRODUCT_DAY, unique=False)
    op.drop_index('ix_sale_line_category', table_name='sale_line')
    op.drop_column('sale_line', 'category_id')
