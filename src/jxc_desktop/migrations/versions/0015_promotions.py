"""Promotions (issue 17): ``promotion`` with the products (and their special prices) and the
categories it covers, ``promotion_product`` and ``promotion_category``.

CREATE TABLE only, in the one transaction db/migrate.py runs every upgrade in: a kill leaves the
file at the revision before.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-04 21:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from jxc_desktop.db.types import UTCDateTime

revision: str = '0015'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'promotion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('m', sa.Integer(), nullable=False),
        sa.Column('pay_pct', sa.Integer(), nullable=False),
        sa.Column('threshold', sa.Integer(), nullable=False),
        sa.Column('reduction', sa.Integer(), nullable=False),
        sa.Column('repeat', sa.Boolean(), nullable=False),
        sa.Column('member_only', sa.Boolean(), nullable=False),
        sa.Column('stackable', sa.Boolean(), nullable=False),
        sa.Column('starts', sa.DateTime(), nullable=False),
        sa.Column('ends', sa.DateTime(), nullable=True),
        sa.Column('weekdays', sa.String(length=7), nullable=False),
        sa.Column('daily_from', sa.String(length=5), nullable=False),
        sa.Column('daily_to', sa.String(length=5), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_promotion'),
    )
    op.create_index('ix_promotion_ends', 'promotion', ['ends'], unique=False)
    op.create_table(
        'promotion_product',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('promotion_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('price', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['promotion_id'], ['promotion.id'],
                                name='fk_promotion_product_promotion_id_promotion'),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name='fk_promotion_product_product_id_product'),
        sa.PrimaryKeyConstraint('id', name='pk_promotion_product'),
        sa.UniqueConstraint('promotion_id', 'product_id', name='uq_promotion_product_promotion_id_product_id'),
    )
    op.create_index('ix_promotion_product_product_id', 'promotion_product', ['product_id'], unique=False)
    op.create_table(
        'promotion_category',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('promotion_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['promotion_id'], ['promotion.id'],
                                name='fk_promotion_category_promotion_id_promotion'),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name='fk_promotion_category_category_id_category'),
        sa.PrimaryKeyConstraint('id', name='pk_promotion_category'),
        sa.UniqueConstraint('promotion_id', 'category_id', name='uq_promotion_category_promotion_id_category_id'),
    )
    op.create_index('ix_promotion_category_category_id', 'promotion_category', ['category_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_promotion_category_category_id', table_name='promotion_category')
    op.drop_table('promotion_category')
    op.drop_index('ix_promotion_product_product_id', table_name='promotion_product')
    op.drop_table('promotion_product')
    op.drop_index('ix_promotion_ends', table_name='promotion')
    op.drop_table('promotion')
