"""One alembic step up or down on a file, for the migration tests (each revision's test moves a file
to the revision before it and back)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db.migrate import alembic_config


def move(path: Path, revision: str, *, up: bool) -> None:
    """Upgrade (``up``) or downgrade the file at ``path`` to ``revision``, committed."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(f"sqlite:///{path}")
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, revision)
        conn.commit()
    engine.dispose()
