"""product.pinyin_key: the name's full pinyin (全拼) and the 助记码 in one search key, so "wahaha"
finds 娃哈哈 and "cnn" finds 蒙牛纯牛奶

The key is "<全拼> <助记码>" ("wahaha whh"): one narrow indexed column that a search for text
inside either scans once, and whose prefix is the full pinyin's. Filled here for every product
already in the file, from its name and its 助记码 as stored (a typed one included); the program
keeps it on every save and import from then on (services/catalog/pinyin.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 14:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_FULL = 400
BATCH = 2000


def _full_pinyin(name: str) -> str:
    # The rule as of this revision (the program's own is services/catalog/pinyin.py): each
    # character's pinyin without tones, other letters and digits as they are, lower case.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s))
    return "".join(c for c in "".join(parts).lower() if c.isalnum())[:MAX_FULL]


def upgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pinyin_key', sa.String(length=530), nullable=False, server_default=''))
    conn = op.get_bind()
    last = 0
    while True:  # in batches by id: 100 000 names need not sit in memory with their pinyin
        rows = conn.execute(sa.text("SELECT id, name, pinyin FROM product WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            break
        conn.execute(sa.text("UPDATE product SET pinyin_key = :key WHERE id = :id"),
                     [{"id": r[0], "key": f"{_full_pinyin(r[1])} {r[2]}"} for r in rows])
        last = rows[-1][0]
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index('ix_product_pinyin_key', ['pinyin_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index('ix_product_pinyin_key')
        batch_op.drop_column('pinyin_key')
