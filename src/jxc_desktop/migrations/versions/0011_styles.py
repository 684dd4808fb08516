"""Styles (款号) with their colours and sizes; product rows become colour × size variants

- ``style`` (code, name, category, season, year, brand, unit, base prices, size group, active),
  ``style_colour`` (code, name, order) and ``style_size`` (size, order), one row each per style;
- ``product`` gains ``style_id``, ``colour_code``, ``colour`` and ``size``, all NULL for goods that
  are not variants. Added by ALTER TABLE ADD COLUMN: a batch rebuild of ``product`` would fire
  0007's text-index triggers for every row.

DDL only, in the one transaction db/migrate.py runs every upgrade in: a kill leaves the file as it was.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRODUCT_COLUMNS = ['style_id', 'colour_code', 'colour', 'size']


def upgrade() -> None:
    op.create_table(
        'style',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=24), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('season', sa.String(length=16), nullable=False),
        sa.Column('year', sa.Integer(), nullable=True),
        sa.Column('brand', sa.String(length=60), nullable=False),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('sale_price', sa.Integer(), nullable=False),
        sa.Column('ref_cost', sa.Integer(), nullable=False),
        sa.Column('size_group', sa.String(length=40), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name='fk_style_category_id_category'),
        sa.PrimaryKeyConstraint('id', name='pk_style'),
        sa.UniqueConstraint('code', name='uq_style_code'),
    )
    op.create_index('ix_style_category_id', 'style', ['category_id'], unique=False)
    op.create_table(
        'style_colour',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('style_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=30), nullable=False),
        sa.Column('sort', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['style_id'], ['style.id'], name='fk_style_colour_style_id_style'),
        sa.PrimaryKeyConstraint('id', name='pk_style_colour'),
        sa.UniqueConstraint('style_id', 'code', name='uq_style_colour_style_id_code'),
    )
    op.create_index('ix_style_colour_style_id', 'style_colour', ['style_id'], unique=False)
    op.create_table(
        'style_size',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('style_id', sa.Integer(), nullable=False),
        sa.Column('size', sa.String(length=16), nullable=False),
        sa.Column('sort', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['style_id'], ['style.id'], name='fk_style_size_style_id_style'),
        sa.PrimaryKeyConstraint('id', name='pk_style_size'),
        sa.UniqueConstraint('style_id', 'size', name='uq_style_size_style_id_size'),
    )
    op.create_index('ix_style_size_style_id', 'style_size', ['style_id'], unique=False)
    # Plain ADD COLUMN (no table rebuild); a REFERENCES clause with a NULL default is allowed here.
    op.execute('ALTER TABLE product ADD COLUMN style_id INTEGER REFERENCES style (id)')
    op.execute('ALTER TABLE product ADD COLUMN colour_code VARCHAR(16)')
    op.execute('ALTER TABLE product ADD COLUMN colour VARCHAR(30)')
    op.execute('ALTER TABLE product ADD COLUMN size VARCHAR(16)')
    op.create_index('ix_product_style_id', 'product', ['style_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_product_style_id', table_name='product')
    for column in reversed(PRODUCT_COLUMNS):  # SQLite ≥ 3.35 drops a column without a rebuild
        op.execute(f'ALTER TABLE product DROP COLUMN {column}')
    op.drop_index('ix_style_size_style_id', table_name='style_size')
    op.drop_table('style_size')
    op.drop_index('ix_style_colour_style_id', table_name='style_colour')
    op.drop_table('style_colour')
    op.drop_index('ix_style_category_id', table_name='style')
    op.drop_table('style')
