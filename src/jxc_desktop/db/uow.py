"""The database handle and the unit of work (rolls back unless ``commit()`` is called).

Every unit of work holds the data file's *use* lock (:mod:`jxc_desktop.db.filelock`) for its
length, so a restore never swaps the file under a transaction. A :class:`Database` refuses writes
once its file is known to be damaged (:mod:`jxc_desktop.db.health`): on the first use it checks that
the schema is complete and reads the verdict a full check left beside the file
(:mod:`jxc_desktop.db.damage_mark`: the window's background check, a backup, a check on demand, in
this process or an earlier one); a check running now reports damage with :meth:`Database.mark_damaged`.
None of this reads the whole file, so opening costs the same for a big shop as for a new one.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jxc_desktop.db import damage_mark, filelock
from jxc_desktop.db.changes import Change, Tracker
from jxc_desktop.db.engine import IMMEDIATE, make_engine, make_read_only_engine, sqlite_url
from jxc_desktop.db.server import is_server_url, make_server_engine
from jxc_desktop.domain.errors import DamagedFileError, DatabaseError, WriteConflictError

log = logging.getLogger(__name__)
READ_ONLY = "opened read-only"  # the damage text of a read-only Database (not a verdict on the file)
ACTOR = "actor"  # session.info key: who is acting in a write (Database.acting), read by the audit trail


class UnitOfWork:
    """``with db.write() as uow: ...; uow.commit()`` — leaving the block without commit rolls back."""

    def __init__(self, factory: sessionmaker[Session], db: Database | None = None, *, writes: bool = False) -> None:
        self._factory = factory
        self._db = db
        self._writes = writes
        self.session: Session
        self._committed = False
        self._lock: contextlib.AbstractContextManager[None] | None = None

    def __enter__(self) -> UnitOfWork:
        db = self._db
        # asked before the lock and the session: the front end's answer may read the database
        actor = db.acting() if db is not None and self._writes and db.acting is not None else None
        if db is not None:
            db.check_before_use(writing=self._writes)
            self._lock = filelock.using(db.path, owner=db)
            self._lock.__enter__()
        try:
            self.session = self._factory()
        except BaseException:
            self._unlock()
            raise
        if actor:
            self.session.info[ACTOR] = actor  # the audit rows of this write name this person
        self._committed = False
        return self

    def _unlock(self) -> None:
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.__exit__(None, None, None)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            try:
                self.session.close()
            finally:
                self._unlock()
        if isinstance(exc, DBAPIError) and is_conflict(exc):
            raise WriteConflictError() from exc
        if isinstance(exc, SqlDatabaseError) and is_damage(exc):
            raise damaged(self._db, str(exc.orig)) from exc
        if isinstance(exc, OperationalError) and self._db is not None and self._db.damage is not None:
            raise damaged_error(self._db.path, self._db.damage) from exc  # e.g. "no such table"
        if isinstance(exc, OperationalError) and is_locked(exc):
            raise DatabaseError("The database is busy (another program is writing). Try again.") from exc
        if isinstance(exc, OperationalError) and is_disk_problem(exc):
            raise disk_error(exc) from exc
        if isinstance(exc, OperationalError) and is_read_only(exc):
            raise read_only_error() from exc
        return False

    def commit(self) -> None:
        try:
            self._commit()
        finally:  # taken on failure too, to be thrown away
            changes = self._db.changes.take() if self._db is not None else Change.NONE
        if changes and self._db is not None:
            self._db.announce(changes)

    def _commit(self) -> None:
        try:
            self.session.commit()
        except DBAPIError as exc:
            self.session.rollback()
            if is_conflict(exc):
                raise WriteConflictError() from exc
            if isinstance(exc, OperationalError):
                if is_locked(exc):
                    raise DatabaseError("The database is busy (another program is writing). Try again.") from exc
                if is_disk_problem(exc):
                    raise disk_error(exc) from exc
                if is_read_only(exc):
                    raise read_only_error() from exc
                raise DatabaseError("The database refused the write: {reason}", reason=str(exc.orig)) from exc
            if isinstance(exc, SqlDatabaseError) and is_damage(exc):
                raise damaged(self._db, str(exc.orig)) from exc
            raise
        self._committed = True
        _retry.commits = getattr(_retry, "commits", 0) + 1


# ---------------------------------------------------------------- write conflicts on a server
CONFLICT_STATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
ATTEMPTS = 5  # tries of one business function before the person is told (WriteConflictError)
_retry = threading.local()  # depth of retrying() calls and the commits made, per thread
P = ParamSpec("P")
R = TypeVar("R")


def is_conflict(exc: DBAPIError) -> bool:
    """The server rolled the transaction back because another one wrote the same rows."""
    orig = exc.orig
    return (getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)) in CONFLICT_STATES


def retrying(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` (a whole business function: its own write unit(s) of work from input to commit)
    again when a server refuses its transaction as a write conflict, up to :data:`ATTEMPTS` times
    with a growing random pause, then let WriteConflictError (a translated message) through. Each
    failed try rolled back whole. Called inside another ``retrying`` function it just runs: the
    outer one repeats the whole. A try that had already committed a unit of work is not repeated
    (that would do its first half twice): the conflict goes to the caller at once."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(_retry, "depth", 0):
            return fn(*args, **kwargs)
        _retry.depth = 1
        try:
            for attempt in range(1, ATTEMPTS + 1):
                _retry.commits = 0
                try:
                    return fn(*args, **kwargs)
                except WriteConflictError:
                    if attempt == ATTEMPTS or _retry.commits:
                        raise
                    log.info("write conflict in %s, try %d of %d", fn.__qualname__, attempt, ATTEMPTS)
                    time.sleep(random.uniform(0.002, 0.02 * 2 ** attempt))  # jitter: the tills part ways
            raise AssertionError("unreachable")
        finally:
            _retry.depth = 0

    return run


def is_damage(exc: SqlDatabaseError) -> bool:
    """SQLite found a damaged page (or no database at all) while reading or writing."""
    text = str(exc.orig).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def damaged(db: Database | None, reason: str) -> DamagedFileError:
    """Mark ``db`` damaged (no more writes) and say so."""
    if db is not None:
        db.mark_damaged(reason)
    return damaged_error(db.path if db is not None else None, reason)


def damaged_error(path: Path | None, reason: str) -> DamagedFileError:
    return DamagedFileError("The database file {path} is damaged ({reason}). Nothing more is written into it. "
                            "Restore the newest good backup (File → Restore, or jxc restore).",
                            path=str(path or ""), reason=reason[:300])


def is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def is_disk_problem(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "disk is full" in text or "disk i/o error" in text or "file too large" in text


def is_read_only(exc: OperationalError) -> bool:
    return "readonly" in str(exc.orig).lower()


def read_only_error() -> DatabaseError:
    return DatabaseError("The database file cannot be written: it or its folder is read-only, so the change was "
                         "not saved. Check the permissions, or copy the file to a folder you can write to.")


def disk_error(exc: OperationalError) -> DatabaseError:
    """Disk full (or a failing disk): nothing was saved, and SQLite's journal keeps the file whole."""
    if "full" in str(exc.orig).lower() or "too large" in str(exc.orig).lower():
        return DatabaseError("The disk is full, so the change was not saved. Free some space and try again.")
    return DatabaseError("The disk could not be written ({reason}): it may be full or failing. The change was "
                         "not saved. Free some space, check the disk and make a backup.", reason=str(exc.orig))


class Database:
    """One database: an engine for reads and an ``IMMEDIATE`` view of it for writes.

    On first use the schema is checked and a recorded verdict read (db/damage_mark.py); a full check
    running elsewhere reports damage with :meth:`mark_damaged`. ``check_before_write=True`` also runs
    the full ``integrity_check`` before the first write (seconds on a big file: no front end asks for
    it any more; kept for a caller that wants a check it pays for).
    """

    def __init__(self, url: str, path: Path | None = None, *, check_before_write: bool = False,
                 read_only: bool = False, building: bool = False) -> None:
        self.url = url
        self.path = path
        self.engine: Engine = (make_server_engine(url, read_only=True) if is_server_url(url)
                               else make_read_only_engine(url)) if read_only else make_engine(url, building=building)
        self.changes = Tracker(self.engine)  # before the write view below, which shares its events
        self._listeners: list[Callable[[Change], None]] = []
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False)
        self.check_before_write = check_before_write
        self.damage: str | None = None  # why writing is refused; None while the file looks whole
        self._schema_checked = path is None or read_only
        self._fully_checked = path is None or read_only
        self._check_lock = threading.Lock()
        if read_only:
            self.damage = READ_ONLY
        # Who is acting, asked at the start of each write: set by the front end (the owner who
        # approved with the PIN, or the person signed in at the till). No database access allowed.
        self.acting: Callable[[], str] | None = None

    @classmethod
    def read_only(cls, uri: str, path: Path | None = None) -> Database:
        """Reads only, nothing written, not even the journal mode (``jxc check``, and reading what is
        left of a damaged file): ``uri`` is a ``file:…?mode=ro`` URI (db/uri.py ``sqlite_uri`` or
        db/fileprobe.py ``reading()``). Writing raises DamagedFileError."""
        return cls(uri, path, read_only=True)

    @classmethod
    def for_file(cls, path: Path | str, *, check_before_write: bool = False) -> Database:
        p = Path(path)
        return cls(sqlite_url(p), p, check_before_write=check_before_write)

    @classmethod
    def building(cls, path: Path | str) -> Database:
        """A new file being filled where no one else sees it, kept only if finished (``create_beside``
        syncs it then): commits are not synced one by one and a connection is reused (db/engine.py)."""
        p = Path(path)
        return cls(sqlite_url(p), p, building=True)

    @classmethod
    def for_server(cls, url: str) -> Database:
        """A shop on a PostgreSQL server (``postgresql://user@host/shop``, db/server.py). No file:
        ``path`` is None, so no file lock, no damage mark and no file checks apply."""
        return cls(url, None)

    @classmethod
    def open(cls, target: Path | str) -> Database:
        """A server URL opens the server database; anything else is a SQLite file path."""
        return cls.for_server(str(target)) if is_server_url(target) else cls.for_file(target)

    @property
    def on_server(self) -> bool:
        """True when this database is on a PostgreSQL server, not in a SQLite file."""
        return self.engine.dialect.name == "postgresql"

    def read(self) -> UnitOfWork:
        return UnitOfWork(self._read, self)

    def write(self) -> UnitOfWork:
        return UnitOfWork(self._write, self, writes=True)

    # ------------------------------------------------------------------ changes
    def on_change(self, listener: Callable[[Change], None]) -> None:
        """``listener(changes)`` after every commit that wrote something, on the committing thread
        (the window's change bus: ui/changes.py)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[Change], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def announce(self, changes: Change) -> None:
        """Tell the listeners ``changes`` happened (commits do; a restore says Change.ALL)."""
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:  # the write is committed: a listener's failure must not say otherwise
                log.exception("change listener failed")

    # ------------------------------------------------------------------ damage
    def mark_damaged(self, reason: str) -> None:
        """From now on every write raises DamagedFileError (a check found the file damaged); the
        verdict is kept beside the file, so later processes refuse writes too (db/damage_mark.py)."""
        self.damage = reason or "damaged"
        if self.path is not None and self.damage != READ_ONLY:
            damage_mark.record(self.path, self.damage)

    def passed_full_check(self) -> None:
        """A full check of a copy of this file just passed (a backup): it was whole a moment ago, so
        no need to run it again before the first write, and an older verdict of damage is outdated."""
        if self.damage is not None and self.damage != READ_ONLY:
            self.damage = None
        self._schema_checked = self._fully_checked = True
        if self.path is not None and self.damage is None:
            damage_mark.clear(self.path)

    def mark_checked(self) -> None:
        """A full check of this very file passed (e.g. a restore just put a checked copy in place)."""
        self.damage = None
        self._schema_checked = self._fully_checked = True
        if self.path is not None:
            damage_mark.clear(self.path)

    def check_before_use(self, *, writing: bool) -> None:
        """Raise DamagedFileError instead of writing into a damaged file. On the first use: the
        verdict an earlier full check left beside the file, and the schema (milliseconds); with
        ``check_before_write``, the whole file before the first write (seconds on a big file)."""
        if self.damage is None and (not self._schema_checked or (
                writing and self.check_before_write and not self._fully_checked)):
            from jxc_desktop.db import health  # it needs the models: loaded on first use, not at import

            with self._check_lock:
                if not self._schema_checked and self.path is not None and self.path.exists():
                    recorded = damage_mark.recorded(self.path)
                    if recorded is not None:
                        self.damage = recorded
                    else:
                        problems = health.file_schema_problems(self.path)
                        if problems:
                            self.mark_damaged(health.summary(problems))
                    self._schema_checked = True
                if (self.damage is None and writing and self.check_before_write and not self._fully_checked
                        and self.path is not None and self.path.exists()):
                    problems = health.integrity_problems(self.path)
                    if problems:
                        self.mark_damaged(health.summary(problems))
                    self._fully_checked = True
        if writing and self.damage is not None:
            raise damaged_error(self.path, self.damage)

    def dispose(self) -> None:
        self.engine.dispose()
        filelock.forget(self)
