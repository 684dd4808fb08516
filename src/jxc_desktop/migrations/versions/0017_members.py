"""Members, points and stored value (issue 17): a member is a customer with a card.

- ``member_level`` (普通/银卡/金卡: a level discount and a points factor);
- ``customer``: ``card_no`` (unique), ``member_level_id`` (set = a member), ``birthday``, ``joined_on``,
  and the cached balances ``points`` and ``stored_value`` that ``jxc check`` proves against the ledgers;
- ``points_move`` (积分) and ``stored_value_move`` (储值), append-only ledgers per member;
- ``product.member_price``; ``sale.member_id``; ``sale_line.list_price``/``price_level``/``promo_discount``;
- ``sale_promotion``: what each promotion took off each sale line.

CREATE TABLE and ADD COLUMN only, in the one transaction db/migrate.py runs every upgrade in: a kill
leaves the previous revision. Foreign-key columns are added with the database's own ADD COLUMN …
REFERENCES (alembic's add_column cannot carry the key on SQLite); the statement is the same on PostgreSQL.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 23:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from jxc_desktop.db.types import UTCDateTime

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAIN_COLUMNS = (
    ('customer', sa.Column('card_no', sa.String(length=32), nullable=True)),
    ('customer', sa.Column('birthday', sa.Date(), nullable=True)),
    ('customer', sa.Column('joined_on', sa.Date(), nullable=True)),
    ('customer', sa.Column('points', sa.Integer(), nullable=False, server_default='0')),
    ('customer', sa.Column('stored_value', sa.Integer(), nullable=False, server_default='0')),
    ('product', sa.Column('member_price', sa.Integer(), nullable=True)),
    ('sale_line', sa.Column('list_price', sa.Integer(), nullable=True)),
    ('sale_line', sa.Column('price_level', sa.String(length=12), nullable=False, server_default='retail')),
    ('sale_line', sa.Column('promo_discount', sa.Integer(), nullable=False, server_default='0')),
)
KEYED_COLUMNS = (  # (table, column, referenced table)
    ('customer', 'member_level_id', 'member_level'),
    ('sale', 'member_id', 'customer'),
)


def _member_ledger(name: str, *extra: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        *extra,
        sa.Column('sale_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('actor', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=f'fk_{name}_customer_id_customer'),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name=f'fk_{name}_sale_id_sale'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{name}'),
    )
    op.create_index(f'ix_{name}_customer', name, ['customer_id', 'id'], unique=False)
    op.create_index(f'ix_{name}_sale_id', name, ['sale_id'], unique=False)
    op.create_index(f'ix_{name}_at', name, ['at'], unique=False)


def upgrade() -> None:
    op.create_table(
        'member_level',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('price_pct', sa.Integer(), nullable=False),
        sa.Column('points_pct', sa.Integer(), nullable=False),
        sa.Column('sort', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_member_level'),
        sa.UniqueConstraint('name', name='uq_member_level_name'),
    )
    for table, column in PLAIN_COLUMNS:
        op.add_column(table, column)
    for table, column, target in KEYED_COLUMNS:
        op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER '
                   f'CONSTRAINT fk_{table}_{column}_{target} REFERENCES {target} (id)')
    op.create_index('ix_customer_card_no', 'customer', ['card_no'], unique=True)
    op.create_index('ix_customer_member_level_id', 'customer', ['member_level_id'], unique=False)
    op.create_index('ix_sale_member_id', 'sale', ['member_id'], unique=False)
    _member_ledger('points_move', sa.Column('points', sa.Integer(), nullable=False))
    _member_ledger('stored_value_move',
                   sa.Column('number', sa.String(length=24), nullable=True),
                   sa.Column('business_day', sa.Date(), nullable=False),
                   sa.Column('amount', sa.Integer(), nullable=False),
                   sa.Column('method', sa.String(length=12), nullable=False),
                   sa.Column('shift_id', sa.Integer(), nullable=True))
    op.create_index('ix_stored_value_move_number', 'stored_value_move', ['number'], unique=False)
    op.create_table(
        'sale_promotion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sale_id', sa.Integer(), nullable=False),
        sa.Column('sale_line_id', sa.Integer(), nullable=False),
        sa.Column('promotion_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id'], name='fk_sale_promotion_sale_id_sale'),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_line.id'], name='fk_sale_promotion_sale_line_id_sale_line'),
        sa.ForeignKeyConstraint(['promotion_id'], ['promotion.id'], name='fk_sale_promotion_promotion_id_promotion'),
        sa.PrimaryKeyConstraint('id', name='pk_sale_promotion'),
    )
    op.create_index('ix_sale_promotion_sale_id', 'sale_promotion', ['sale_id'], unique=False)
    op.create_index('ix_sale_promotion_sale_line_id', 'sale_promotion', ['sale_line_id'], unique=False)
    op.create_index('ix_sale_promotion_promotion_id', 'sale_promotion', ['promotion_id'], unique=False)


def downgrade() -> None:
    op.drop_table('sale_promotion')
    op.drop_table('stored_value_move')
    op.drop_table('points_move')
    op.drop_index('ix_sale_member_id', table_name='sale')
    op.drop_index('ix_customer_member_level_id', table_name='customer')
    op.drop_index('ix_customer_card_no', table_name='customer')
    # in place (SQLite ≥ 3.35): the key was declared on the column, so it goes with it; a batch
    # rebuild would turn the older keys of ``sale`` into table constraints that 0010's downgrade
    # cannot drop in place
    for table, column, _target in reversed(KEYED_COLUMNS):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    for table, column in reversed(PLAIN_COLUMNS):
        op.drop_column(table, column.name)
    op.drop_table('member_level')
