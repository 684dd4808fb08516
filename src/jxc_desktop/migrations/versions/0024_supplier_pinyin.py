"""supplier.pinyin: each supplier's 助记码 stored with it (issue 15, ``jxc suppliers list``)

The supplier list is sorted and filtered by the names' 助记码. Made on every listing, it loaded
pypinyin's dictionaries (~0.2 s, more than the rest of the command) whenever the shop had two
suppliers or more. Stored here for the suppliers already in the file, by the rule of this revision;
the program keeps it on every save from then on (services/purchasing/suppliers.py).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 10:50:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_INITIALS = 120


def _initials(name: str) -> str:
    # The rule as of this revision (the program's own is services/catalog/pinyin.py): the first
    # letter of each character's pinyin, other letters and digits as they are, lower case.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s))
    out = "".join(p[:1] if len(p) == 1 or not p.isascii() else p for p in parts)
    return "".join(c for c in out.lower() if c.isalnum())[:MAX_INITIALS]


def upgrade() -> None:
    op.add_column('supplier', sa.Column('pinyin', sa.String(length=120), nullable=False, server_default=''))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM supplier")).all()  # a shop has tens, not thousands
    if rows:
        conn.execute(sa.text("UPDATE supplier SET pinyin = :pinyin WHERE id = :id"),
                     [{"id": sid, "pinyin": _initials(name)} for sid, name in rows])


def downgrade() -> None:
    with op.batch_alter_table('supplier', schema=None) as batch_op:
        batch_op.drop_column('pinyin')
