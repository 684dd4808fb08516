"""A small write as plain SQL text on sqlite3 alone, for a file :class:`~jxc_desktop.db.text_reads.PlainReads`
already reads (issue 15): the owner-PIN check of a ``jxc`` command (services/safety/pin_check.py),
which counts a wrong try or records the approval, without building SQLAlchemy and the models first.

It writes as a :class:`~jxc_desktop.db.uow.Database` write does — under the file's use lock
(db/filelock.py), on a connection of its own with the engine's pragmas (WAL, foreign keys,
``synchronous=FULL``: durable at commit, the same busy timeout), in one ``BEGIN IMMEDIATE``
transaction that is rolled back unless :meth:`SqliteWrites.commit` is called — and refuses the same
files: it is offered only while no check has found the file damaged (the verdict kept beside it,
db/damage_mark.py) and its schema is complete (db/health.py, the check a Database makes before its
first use). A file that fails either goes to the full path, which refuses and words it as always.

sqlite3's errors pass through unchanged: the caller sends the command to the full path, which does
the work again (nothing was committed: the commit is the last thing a write does) and reports any
error in its own words.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from jxc_desktop.db import damage_mark, filelock, health
from jxc_desktop.db.fileprobe import BUSY_TIMEOUT_MS
from jxc_desktop.db.text_reads import SqliteRows
from jxc_desktop.db.uri import sqlite_uri
from jxc_desktop.domain.errors import JxcError


class SqliteWrites(SqliteRows):
    """:class:`~jxc_desktop.db.text_reads.Rows` that may also write, inside :func:`plain_write`."""

    def __init__(self, con: sqlite3.Connection) -> None:
        super().__init__(con)
        self.committed = False

    def run(self, sql: str, **params: object) -> None:
        self._con.execute(sql, params)

    def commit(self) -> None:
        self._con.execute("COMMIT")
        self.committed = True


def writable_as_is(path: Path) -> bool:
    """No check has found ``path`` damaged and its schema is whole: what a Database asks before its
    first write. False sends the write to the full path (which refuses a damaged file, marks an
    incomplete one, or says why it could not look)."""
    if damage_mark.recorded(path) is not None:
        return False
    try:
        return not health.file_schema_problems(path)
    except JxcError:  # could not look (busy, no permission): the full path says so
        return False


@contextlib.contextmanager
def plain_write(path: Path, owner: object) -> Iterator[SqliteWrites]:
    """One write transaction on ``path`` (see the module doc); ``owner`` holds the use lock's
    descriptor as it does for the reads (filelock.forget(owner) lets it go)."""
    with filelock.using(path, owner=owner):
        con = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                              isolation_level=None)
        try:
            # The pragmas of db/engine.py make_engine, which every full-path connection runs too.
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA synchronous=FULL")
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            con.execute("BEGIN IMMEDIATE")
            writes = SqliteWrites(con)
            try:
                yield writes
            finally:
                if not writes.committed:
                    with contextlib.suppress(sqlite3.Error):
                        con.rollback()
        finally:
            con.close()
