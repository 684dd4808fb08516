"""Engine creation. Every SQLite-specific pragma lives here so the rest stays portable."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

from jxc_desktop.db.fileprobe import BUSY_TIMEOUT_MS
from jxc_desktop.db.server import is_server_url, make_server_engine
from jxc_desktop.db.uri import sqlite_url

__all__ = ["BUSY_TIMEOUT_MS", "IMMEDIATE", "make_engine", "sqlite_url"]

IMMEDIATE = "jxc_immediate"


def make_engine(url: str, *, building: bool = False) -> Engine:
    """An engine with WAL, foreign keys, durable commits and a busy timeout for SQLite files.

    ``building=True`` is for a new file that no one else sees yet and that is thrown away whole
    unless finished (db/migrate.py ``create_beside``, which checkpoints and fsyncs it before the
    rename): its commits are not synced one by one, and a connection is kept between units of work
    instead of each opening the file (and the last close checkpointing it) again. A demo year is
    thousands of commits.

    Writes begin with ``BEGIN IMMEDIATE`` (see :data:`IMMEDIATE`) so a second writer waits for
    the lock up front instead of failing half-way through a document.

    A PostgreSQL URL gets the server engine (db/server.py): there a unit of work that writes (the
    :data:`IMMEDIATE` execution option is still set on its connection, so a listener can tell it
    from a read) begins an ordinary READ COMMITTED transaction; its row locks are taken by the
    services (``SELECT ... FOR UPDATE``), not by a file-wide write lock.
    """
    if is_server_url(url):
        return make_server_engine(url)
    if not url.startswith("sqlite"):
        return create_engine(url, future=True)
    pool: dict[str, Any] = {"poolclass": NullPool} if ":memory:" not in url else {}
    if building:  # one kept connection; a unit of work opened inside another gets its own, closed after
        pool = {"poolclass": QueuePool, "pool_size": 1, "max_overflow": -1}
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **pool,
    )
    synchronous = "OFF" if building else "FULL"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours (pysqlite quirk).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(IMMEDIATE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def make_read_only_engine(uri: str) -> Engine:
    """An engine that only reads: ``uri`` is a ``file:...?mode=ro`` URI (db/fileprobe.py
    ``reading()``), and no pragma that writes runs (no WAL switch, so a file in another journal
    mode keeps it). Each session reads one consistent snapshot (an explicit deferred ``BEGIN``).
    Used by ``jxc check`` and to read what is left of a damaged file."""

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                              isolation_level=None)
        con.execute("PRAGMA query_only=ON")
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine
