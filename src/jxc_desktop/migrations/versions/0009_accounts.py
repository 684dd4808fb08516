"""Money owed (往来, issue 16): customers, payments and collections, account entries and allocations

- ``customer``: named customers who buy on account or by wholesale note;
- ``money_doc``: payments to suppliers (付款单), collections from customers (收款单) and refunds;
- ``account_entry``: one signed line per document that changes what a party owes or is owed;
- ``allocation``: 核销, a positive entry settled by a negative one, undone by marking it;
- new columns, all nullable or with a server default so existing rows need no rewrite:
  ``supplier.terms_days`` (0 = cash), ``product.wholesale_price`` (0 = retail price),
  ``purchase.due_date``, ``purchase_line.price`` (what the supplier charges or credits per unit),
  ``sale.customer_id``, ``sale.channel`` (till | wholesale), ``sale_line.pack_size``.

ADD COLUMN and CREATE TABLE only (no batch rebuild: ``product`` carries 0007's text-index triggers),
in the one transaction db/migrate.py runs every upgrade in: a kill leaves 0008.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 20:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from jxc_desktop.db.types import UTCDateTime

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) added by this revision, in order; downgrade drops them in reverse.
COLUMNS: list[tuple[str, sa.Column]] = [
    ('supplier', sa.Column('terms_days', sa.Integer(), nullable=False, server_default='0')),
    ('product', sa.Column('wholesale_price', sa.Integer(), nullable=False, server_default='0')),
    ('purchase', sa.Column('due_date', sa.Date(), nullable=True)),
    ('purchase_line', sa.Column('price', sa.Integer(), nullable=True)),
    ('sale', sa.Column('channel', sa.String(length=12), nullable=False, server_default='till')),
    ('sale_line', sa.Column('pack_size', sa.Integer(), nullable=True)),
]


def upgrade() -> None:
    op.create_table(
        'customer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('level', sa.String(length=12), nullable=False),
        sa.Column('credit_limit', sa.Integer(), nullable=True),
        sa.Column('pinyin_key', sa.String(length=530), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_customer'),
        sa.UniqueConstraint('name', name='uq_customer_name'),
    )
    op.create_index('ix_customer_phone', 'customer', ['phone'], unique=False)
    op.create_table(
        'money_doc',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=True),
        sa.Column('customer_id', sa.Integer(), nullable=True),
        sa.Column('doc_date', sa.Date(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=12), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name='fk_money_doc_supplier_id_supplier'),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name='fk_money_doc_customer_id_customer'),
        sa.PrimaryKeyConstraint('id', name='pk_money_doc'),
        sa.UniqueConstraint('number', name='uq_money_doc_number'),
    )
    op.create_index('ix_money_doc_supplier_id', 'money_doc', ['supplier_id'], unique=False)
    op.create_index('ix_money_doc_customer_id', 'money_doc', ['customer_id'], unique=False)
    op.create_index('ix_money_doc_doc_date', 'money_doc', ['doc_date'], unique=False)
    op.create_table(
        'account_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('party', sa.String(length=12), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=True),
        sa.Column('customer_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('doc_type', sa.String(length=12), nullable=False),
        sa.Column('doc_id', sa.Integer(), nullable=False),
        sa.Column('doc_number', sa.String(length=24), nullable=False),
        sa.Column('entry_date', sa.Date(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['supplier_id'], ['supplier.id'], name='fk_account_entry_supplier_id_supplier'),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name='fk_account_entry_customer_id_customer'),
        sa.PrimaryKeyConstraint('id', name='pk_account_entry'),
    )
    op.create_index('ix_account_entry_supplier', 'account_entry', ['supplier_id', 'entry_date', 'id'])
    op.create_index('ix_account_entry_customer', 'account_entry', ['customer_id', 'entry_date', 'id'])
    op.create_index('ix_account_entry_doc', 'account_entry', ['doc_type', 'doc_id'])
    op.create_table(
        'allocation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('debit_id', sa.Integer(), nullable=False),
        sa.Column('credit_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('undone_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['debit_id'], ['account_entry.id'], name='fk_allocation_debit_id_account_entry'),
        sa.ForeignKeyConstraint(['credit_id'], ['account_entry.id'], name='fk_allocation_credit_id_account_entry'),
        sa.PrimaryKeyConstraint('id', name='pk_allocation'),
    )
    op.create_index('ix_allocation_debit_id', 'allocation', ['debit_id'], unique=False)
    op.create_index('ix_allocation_credit_id', 'allocation', ['credit_id'], unique=False)
    for table, column in COLUMNS:
        op.add_column(table, column)
    # alembic's add_column cannot carry a foreign key on SQLite; SQLite's own ADD COLUMN can
    op.execute('ALTER TABLE sale ADD COLUMN customer_id INTEGER '
               'CONSTRAINT fk_sale_customer_id_customer REFERENCES customer (id)')
    op.create_index('ix_sale_customer_id', 'sale', ['customer_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sale_customer_id', table_name='sale')
    # SQLite (≥ 3.35) drops a column in place unless a constraint names it: sale.customer_id's
    # foreign key does, so the sale table is rebuilt without it (sale has no triggers to lose)
    with op.batch_alter_table('sale') as batch:
        batch.drop_column('customer_id')
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column.name)
    for table in ('allocation', 'account_entry', 'money_doc', 'customer'):
        op.drop_table(table)
