"""One connection kept open for the products table's reads while the owner types.

A unit of work opens the file and closes it again (db/engine.py: no pool), which costs a key
typed into the filter ~1-2 ms of its budget: the connection, SQLite reading the schema, preparing
each statement, and the last close checkpointing. While a holder keeps reading (the products
table, from one key to a pause), its reads share one connection instead, inside ordinary units of
work (the file's use lock, the damage checks, the same error messages as db.read()).

The kept connection is read-only, so it never writes the file and never checkpoints it, and
closing it is harmless even if the file was replaced meanwhile (a restore): SQLite then cannot
fold or delete the write-ahead log by its name, which would be the new file's. It is reopened
when the data file is no longer the one it opened (checked under the use lock, where no restore
can swap the file), closed when the engine is disposed (as a restore does first) and when the
holder lets go; a read-write unit of work then opens and closes the file once more, so that, as
before, the last close folds the log into the file. A read that finds the kept connection busy
(another thread's) takes the ordinary way. Only for SQLite files: a server keeps its own pool.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from jxc_desktop.db.engine import make_read_only_engine
from jxc_desktop.db.uow import Database, UnitOfWork
from jxc_desktop.db.uri import sqlite_uri


def _identity(path: Any) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class KeptReads:
    """``read()`` is db.read(), on one kept connection between ``hold()`` and ``release()``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._mutex = threading.Lock()
        self._holds = 0
        self._busy = False  # the kept connection is in a unit of work now
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._file: tuple[int, int] | None = None  # the file the connection opened
        self._listening = False

    def usable(self) -> bool:
        return self._db.path is not None and not self._db.on_server and self._db.damage is None

    def hold(self) -> None:
        with self._mutex:
            self._holds += 1
            if not self._listening and self.usable():
                event.listen(self._db.engine, "engine_disposed", self._disposed)
                self._listening = True

    def release(self) -> None:
        with self._mutex:
            self._holds = max(0, self._holds - 1)
            closed = self._holds == 0 and not self._busy and self._close()
        if closed:
            self._fold()

    def holding(self) -> bool:
        return self._holds > 0

    @contextlib.contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        with self._mutex:
            kept = self._holds > 0 and not self._busy and self.usable()
            self._busy = self._busy or kept
        if not kept:
            with self._db.read() as uow:
                yield uow
            return
        closed = False
        try:
            with UnitOfWork(self._session, self._db) as uow:
                yield uow
        finally:
            with self._mutex:
                self._busy = False
                if self._holds == 0:  # let go of while this read ran
                    closed = self._close()
            if closed:
                self._fold()

    # ------------------------------------------------------------------ the connection
    def _session(self) -> Session:
        """The session of a kept read: called by the unit of work once it holds the use lock."""
        now = _identity(self._db.path)
        if self._conn is not None and (now is None or now != self._file):
            with self._mutex:
                self._close()  # the file was replaced (a restore): open the one there now
        if self._conn is None:
            if self._engine is None:
                self._engine = make_read_only_engine(sqlite_uri(self._db.path))  # type: ignore[arg-type]
            self._conn = self._engine.connect()
            self._file = now
        return Session(bind=self._conn, expire_on_commit=False)

    def _close(self) -> bool:
        """Close the kept connection (the mutex held); True when there was one."""
        conn, self._conn, self._file = self._conn, None, None
        if conn is None:
            return False
        with contextlib.suppress(Exception):  # a connection to a file gone is closed all the same
            conn.close()
        return True

    def _fold(self) -> None:
        """Open and close the file once the usual way: the last close folds the log into it."""
        with contextlib.suppress(Exception), self._db.read() as uow:
            uow.session.connection()

    def _disposed(self, _engine: Engine) -> None:
        with self._mutex:
            if not self._busy:
                self._close()
