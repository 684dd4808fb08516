"""Reads written once as plain SQL text with ``:name`` binds, run by either driver (issue 15).

A command that only reads a shop file already at head (``jxc init``, ``jxc suppliers list``) need
not build SQLAlchemy, its ORM and the 34 mapped models (~0.35 s of a 0.5 s command): it runs the
service's SQL text on the standard library's sqlite3 through :class:`PlainReads`. Everything else —
PostgreSQL, the window, in-process callers — runs the same text through :class:`SessionRows`
(``sqlalchemy.text()`` on a unit of work's session). Both give the rows as plain tuples of the
driver's values (no result types: a date is ISO text on SQLite, a ``date`` on PostgreSQL), so the
service turns a row into its DTO in one place whichever ran it.

:class:`PlainReads` reads as a :class:`~jxc_desktop.db.uow.Database` read does — one transaction
(a deferred ``BEGIN``) per :meth:`PlainReads.read`, under the file's use lock (db/filelock.py), a
connection of its own closed after it, the same busy timeout — and never writes: ``query_only`` is
on and no pragma that writes runs (a file left in rollback-journal mode keeps it). It is used only
for a file :func:`jxc_desktop.db.migrate.ready_as_is` found at head, ours, writable and with no
interrupted write to roll back; any other file takes the full path.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jxc_desktop.db import filelock
from jxc_desktop.db.dialect_text import SQLITE
from jxc_desktop.db.fileprobe import BUSY_TIMEOUT_MS
from jxc_desktop.db.uri import sqlite_uri

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Row = tuple[Any, ...]


def as_date(value: object) -> date | None:
    """A DATE column's value as either driver gives it (ISO text on SQLite, a date on PostgreSQL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def as_utc(value: object) -> datetime | None:
    """A UTC timestamp column's value (db/types.py UTCDateTime) as an aware datetime, as either
    driver gives it: ``2026-03-02 09:00:00.000000`` text on SQLite, a datetime on PostgreSQL."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '\\'``: the text's own ``\\``, ``%`` and ``_`` match themselves."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filtered_variants(template: str, active: str, text: str) -> dict[tuple[bool, bool], str]:
    """A list's SQL text for each (active only, a text given): ``template``'s ``{where}`` holds the
    conditions asked for — ``active`` (its bind ``:active``) and ``text`` (its bind ``:pat``)."""
    def where(on: tuple[bool, bool]) -> str:
        parts = [cond for cond, wanted in zip((active, text), on, strict=True) if wanted]
        return " WHERE " + " AND ".join(parts) if parts else ""

    return {on: template.format(where=where(on)) for on in ((False, False), (False, True), (True, False), (True, True))}


def filter_binds(text: str, active_only: bool, limit: int) -> tuple[tuple[bool, bool], dict[str, object]]:
    """The variant of :func:`filtered_variants` and its binds for a list filtered by ``text`` (any case)."""
    text = (text or "").strip().lower()
    binds: dict[str, object] = {"limit": limit}
    if active_only:
        binds["active"] = True
    if text:
        binds["pat"] = like_pattern(text)
    return (active_only, bool(text)), binds


class Where:
    """A query's conditions as SQL text with their binds, each added only when the caller has it
    (a filter left empty adds nothing): ``WHERE a AND b`` or nothing at all."""

    def __init__(self, **binds: object) -> None:
        self.conditions: list[str] = []
        self.binds: dict[str, object] = dict(binds)

    def add(self, condition: str, **binds: object) -> None:
        self.conditions.append(condition)
        self.binds.update(binds)

    def one_of(self, column: str, name: str, values: Iterable[object]) -> None:
        """``column IN (:name0, :name1, …)``, each value bound (a list is no bind either driver
        takes); no values: no row."""
        keys = {f"{name}{i}": value for i, value in enumerate(values)}
        self.add(f"{column} IN ({', '.join(':' + k for k in keys)})" if keys else "1 = 0", **keys)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.conditions) if self.conditions else ""


class Rows(Protocol):
    """What a service's read needs of a database: the rows of one SQL text."""

    def all(self, sql: str, **params: object) -> list[Row]: ...

    def each(self, sql: str, **params: object) -> Iterable[Row]:
        """The rows one at a time where the driver can hand them so (a year's 100 000 products
        turned into report rows without a list of them all first)."""
        ...

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql": how a day or an instant is bound (db/dialect_text.py
        ``day_bind``, ``utc_bind``)."""
        ...


class Writes(Rows, Protocol):
    """Rows inside a write transaction: a statement that changes rows too (the caller commits)."""

    def run(self, sql: str, **params: object) -> None: ...


class SqliteRows:
    """:class:`Rows` on an open sqlite3 connection (inside a :meth:`PlainReads.read`)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def all(self, sql: str, **params: object) -> list[Row]:
        return self._con.execute(sql, params).fetchall()

    def each(self, sql: str, **params: object) -> Iterable[Row]:
        return self._con.execute(sql, params)  # (the cursor: rows as they are stepped)

    @property
    def dialect(self) -> str:
        return SQLITE


def _wrapped(session: Session, sql: str, params: dict[str, object], exc: Exception) -> BaseException:
    """An error of the driver met while fetching (past the first row SQLite steps on through the
    pages: a damaged one fails there) as SQLAlchemy words an error met while executing, so that the
    unit of work sees what it sees of the execute: its DatabaseError marks a damaged file and says
    so (db/uow.py), its OperationalError reads as busy. Anything else as it came."""
    from sqlalchemy.exc import DBAPIError

    dialect = session.get_bind().dialect
    base = dialect.loaded_dbapi.Error
    if not isinstance(exc, base):
        return exc
    return DBAPIError.instance(sql, params, exc, base, dialect=dialect)


@functools.cache
def _text(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)


EACH_ROWS = 2000  # rows fetched at a time by SessionRows.each


class SessionRows:
    """:class:`Rows` on a unit of work's session: the same SQL text through ``sqlalchemy.text()``
    (SQLite or PostgreSQL), the driver's values as they come."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self, sql: str, **params: object) -> list[Row]:
        result = self._session.execute(_text(sql), params)
        try:  # the driver's tuples as they come (no Row per row: 100 000 of them for jxc stock)
            if not result.returns_rows:  # a statement that sets (``PRAGMA temp_store=MEMORY``): none
                return []
            return self._fetched(result.cursor.fetchall, sql, params)
        finally:
            result.close()

    def each(self, sql: str, **params: object) -> Iterable[Row]:
        """Run now; the driver's tuples then handed on a few thousand at a time as it steps them
        (the blank count sheet's 100 000 lines are never one list)."""
        result = self._session.execute(_text(sql), params)
        return self._stepped(result, sql, params)

    def _stepped(self, result: Any, sql: str, params: dict[str, object]) -> Iterator[Row]:
        try:
            if not result.returns_rows:
                return
            while chunk := self._fetched(lambda: result.cursor.fetchmany(EACH_ROWS), sql, params):
                yield from chunk
        finally:
            result.close()

    def _fetched(self, fetch: Callable[[], list[Row]], sql: str, params: dict[str, object]) -> list[Row]:
        """``fetch()`` with a driver error raised as SQLAlchemy words it (:func:`_wrapped`)."""
        try:
            return fetch()
        except Exception as exc:
            wrapped = _wrapped(self._session, sql, params, exc)
            if wrapped is exc:
                raise
            raise wrapped from exc

    def run(self, sql: str, **params: object) -> None:
        """A statement that writes, in the session's transaction (its unit of work commits)."""
        self._session.execute(_text(sql), params)

    @property
    def dialect(self) -> str:
        return str(self._session.get_bind().dialect.name)


class PlainReads:
    """Read transactions on a shop file with sqlite3 alone (see the module doc). ``uri``: open
    that instead of ``path`` itself (``jxc check``: the read-only view db/fileprobe.py ``reading``
    gives, the lock still taken on ``path``)."""

    def __init__(self, path: Path, uri: str | None = None) -> None:
        self.path = Path(path)
        self.uri = uri

    @contextlib.contextmanager
    def read(self) -> Iterator[SqliteRows]:
        """One consistent snapshot, as ``Database.read()`` gives: the use lock first (a restore
        never swaps the file under it), then a new connection and a deferred ``BEGIN``; rolled back
        and closed after. sqlite3's errors pass through unchanged (the caller decides)."""
        with filelock.using(self.path, owner=self):
            # mode=rw: the file exists (ready_as_is saw it) and is never created here; the -wal and
            # -shm of a WAL-mode file are opened as the full path opens them.
            con = sqlite3.connect(self.uri or sqlite_uri(self.path, mode="rw"), uri=True,
                                  timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                con.execute("PRAGMA query_only=ON")
                con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                con.execute("BEGIN")
                try:
                    yield SqliteRows(con)
                finally:
                    con.rollback()
            finally:
                con.close()

    def close(self) -> None:
        filelock.forget(self)
