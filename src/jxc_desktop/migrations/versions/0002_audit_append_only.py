"""audit_log is append-only: triggers refuse UPDATE and DELETE

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:50:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from jxc_desktop.db.dialect import append_only_ddl, drop_append_only_ddl

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The message is matched by services/safety/audit.py to give a clear error.
MESSAGE = "audit_log is append-only"


def upgrade() -> None:
    # SQLite: RAISE(ABORT) triggers; PostgreSQL: a plpgsql trigger (db/dialect.py)
    for statement in append_only_ddl(op.get_bind().dialect.name, "audit_log", MESSAGE):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_append_only_ddl(op.get_bind().dialect.name, "audit_log"):
        op.execute(statement)
