"""One alembic step up or down on a file, for the migration tests (each revision's test moves a file
to the revision before it and back)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import alembic_config, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.services.hub import Services


def move(path: Path, revision: str, *, up: bool) -> None:
    """Upgrade (``up``) or downgrade the file at ``path`` to ``revision``, committed."""
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(f"sqlite:///{path}")
        cfg.attributes["connection"] = conn
        (command.upgrade if up else command.downgrade)(cfg, revision)
        conn.commit()
    engine.dispose()


def index_columns(con: sqlite3.Connection) -> dict[str, list[str]]:
    """Every named index of the file with its columns in order (what a migration adds or leaves)."""
    names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
    return {n: [r[2] for r in con.execute(f"PRAGMA index_info('{n}')")] for n in names}


def table_columns(path: Path, table: str) -> list[str]:
    """A table's columns in order, as the file at ``path`` has them (what a migration adds or takes)."""
    con = sqlite3.connect(path)
    try:
        return [r[1] for r in con.execute(f"PRAGMA table_info('{table}')")]
    finally:
        con.close()


def indexes_back_at(path: Path, revision: str) -> dict[str, list[str]]:
    """Downgrade the file to ``revision`` and give its indexes (the way back leaves them exactly)."""
    move(path, revision, up=False)
    con = sqlite3.connect(path)
    try:
        return index_columns(con)
    finally:
        con.close()


def problems_without(path: Path, index: str) -> list[str]:
    """What the health check finds in a file at head from which ``index`` was dropped."""
    migrate(path)
    con = sqlite3.connect(path)
    try:
        con.execute(f"DROP INDEX {index}")
        return schema_problems(con)
    finally:
        con.close()


def profit_summaries(path: Path, period: Period) -> list[object]:
    """The file's profit summary of ``period`` by day, product and category, as the program reads it
    (a migration that adds an index changes none of them)."""
    db = Database.for_file(path)
    try:
        reports = Services(db).reports
        return [reports.profit(period, by) for by in (Grouping.DAY, Grouping.PRODUCT, Grouping.CATEGORY)]
    finally:
        db.dispose()
