"""audit_log: a BEFORE INSERT trigger refuses an insert over an existing id

0002 stops UPDATE and DELETE, but ``INSERT OR REPLACE`` (and ``REPLACE INTO``) over an existing row
deletes it without firing the DELETE trigger (recursive triggers are off), so history could still be
rewritten. The BEFORE INSERT trigger runs before the conflict check, whatever the conflict clause.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 12:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same message as 0002, which services/safety/audit.py recognises.
MESSAGE = "audit_log is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # REPLACE is SQLite's; on PostgreSQL an insert over an id fails on the primary key
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log "
        "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
