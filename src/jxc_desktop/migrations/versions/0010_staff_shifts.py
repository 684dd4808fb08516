"""Staff and shifts (issue 18, "the till as a workplace")

- ``person``: the owner and the cashiers (name, short login number, role, their own PIN hash,
  wrong-PIN count and lock);
- ``shift``: a cashier's shift at one till (float in, expected and counted cash at close); a
  partial unique index keeps one open shift per till;
- ``cash_move``: cash paid into or out of the drawer with its reason;
- ``sale.cashier_id`` / ``sale.shift_id``, ``held_sale.cashier_id``: who rang it up, in which
  shift; ``audit_log.actor``: who did or approved an entry. ADD COLUMN only, nullable or with a
  default, so old rows stay as they were (a shop without cashiers leaves them empty).

New tables and ADD COLUMN, in the one transaction db/migrate.py runs every upgrade in: a kill
leaves the file at the previous revision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 20:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'person',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('number', sa.String(length=8), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('pin_hash', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
        sa.UniqueConstraint('name', name=op.f('uq_person_name')),
        sa.UniqueConstraint('number', name=op.f('uq_person_number')),
    )
    op.create_table(
        'shift',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('till', sa.String(length=20), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('float_amount', sa.Integer(), nullable=False),
        sa.Column('expected', sa.Integer(), nullable=True),
        sa.Column('counted', sa.Integer(), nullable=True),
        sa.Column('counted_detail', sa.Text(), nullable=False),
        sa.Column('float_left', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_shift_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shift')),
    )
    op.create_index('uq_shift_open_till', 'shift', ['till'], unique=True, sqlite_where=sa.text("status = 'open'"),
                    postgresql_where=sa.text("status = 'open'"))
    op.create_index('ix_shift_opened_at', 'shift', ['opened_at'], unique=False)
    op.create_index(op.f('ix_shift_person_id'), 'shift', ['person_id'], unique=False)
    op.create_table(
        'cash_move',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('till', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_cash_move_person_id_person')),
        sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_cash_move_shift_id_shift')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_move')),
    )
    op.create_index(op.f('ix_cash_move_at'), 'cash_move', ['at'], unique=False)
    op.create_index(op.f('ix_cash_move_shift_id'), 'cash_move', ['shift_id'], unique=False)
    # Plain ADD COLUMN (no batch rebuild): SQLite takes a REFERENCES clause on a NULL-default column.
    op.execute("ALTER TABLE sale ADD COLUMN cashier_id INTEGER REFERENCES person (id)")
    op.execute("ALTER TABLE sale ADD COLUMN shift_id INTEGER REFERENCES shift (id)")
    op.create_index(op.f('ix_sale_shift_id'), 'sale', ['shift_id'], unique=False)
    op.execute("ALTER TABLE held_sale ADD COLUMN cashier_id INTEGER REFERENCES person (id)")
    op.execute("ALTER TABLE audit_log ADD COLUMN actor VARCHAR(40) NOT NULL DEFAULT ''")


def downgrade() -> None:
    # DROP COLUMN needs SQLite 3.35; the index on a dropped column goes first.
    op.drop_index(op.f('ix_sale_shift_id'), table_name='sale')
    op.execute("ALTER TABLE audit_log DROP COLUMN actor")
    op.execute("ALTER TABLE held_sale DROP COLUMN cashier_id")
    op.execute("ALTER TABLE sale DROP COLUMN shift_id")
    op.execute("ALTER TABLE sale DROP COLUMN cashier_id")
    op.drop_index(op.f('ix_cash_move_shift_id'), table_name='cash_move')
    op.drop_index(op.f('ix_cash_move_at'), table_name='cash_move')
    op.drop_table('cash_move')
    op.drop_index(op.f('ix_shift_person_id'), table_name='shift')
    op.drop_index('ix_shift_opened_at', table_name='shift')
    op.drop_index('uq_shift_open_till', table_name='shift')
    op.drop_table('shift')
    op.drop_table('person')
