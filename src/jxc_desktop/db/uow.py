"""The database handle and the unit of work (rolls back unless ``commit()`` is called)."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jxc_desktop.db.engine import IMMEDIATE, make_engine, make_read_only_engine, sqlite_url
from jxc_desktop.domain.errors import DatabaseError


class UnitOfWork:
    """``with db.write() as uow: ...; uow.commit()`` — leaving the block without commit rolls back."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self.session: Session
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        self._committed = False
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
        if isinstance(exc, OperationalError) and is_locked(exc):
            raise DatabaseError("The database is busy (another program is writing). Try again.") from exc
        if isinstance(exc, OperationalError) and is_disk_problem(exc):
            raise disk_error(exc) from exc
        if isinstance(exc, OperationalError) and is_read_only(exc):
            raise read_only_error() from exc
        return False

    def commit(self) -> None:
        try:
            self.session.commit()
        except OperationalError as exc:
            self.session.rollback()
            if is_locked(exc):
                raise DatabaseError("The database is busy (another program is writing). Try again.") from exc
            if is_disk_problem(exc):
                raise disk_error(exc) from exc
            if is_read_only(exc):
                raise read_only_error() from exc
            raise DatabaseError("The database refused the write: {reason}", reason=str(exc.orig)) from exc
        self._committed = True


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
    """One database: an engine for reads and an ``IMMEDIATE`` view of it for writes."""

    def __init__(self, url: str, path: Path | None = None, *, engine: Engine | None = None) -> None:
        self.url = url
        self.path = path
        self.engine: Engine = engine if engine is not None else make_engine(url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False)

    @classmethod
    def for_file(cls, path: Path | str) -> Database:
        p = Path(path)
        return cls(sqlite_url(p), p)

    @classmethod
    def read_only(cls, uri: str, path: Path | None = None) -> Database:
        """Reads only (``jxc check``): ``uri`` from db/fileprobe.py ``reading()``; a write fails."""
        return cls(uri, path, engine=make_read_only_engine(uri))

    def read(self) -> UnitOfWork:
        return UnitOfWork(self._read)

    def write(self) -> UnitOfWork:
        return UnitOfWork(self._write)

    def dispose(self) -> None:
        self.engine.dispose()
