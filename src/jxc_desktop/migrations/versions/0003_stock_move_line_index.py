"""index stock_move.doc_line_id: a customer return finds the moves of the sold line

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:55:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_move_doc_line_id'), ['doc_line_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_move_doc_line_id'))
