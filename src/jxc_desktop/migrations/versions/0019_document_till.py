"""The till a document was made at (issue 21, "a second till"): ``till`` on ``sale``, ``purchase``,
``stock_count`` and ``money_doc``, the till name of the PC that posted it (its local till config,
services/shop/till_config.py). Documents made before this revision get "" (not recorded).

Four ADD COLUMNs with a constant default, in the one transaction db/migrate.py runs every upgrade
in: a kill leaves the previous revision, with no half-added column. No table is rebuilt.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 23:45:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('sale', 'purchase', 'stock_count', 'money_doc')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('till', sa.String(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_column(table, 'till')
