"""Copies of a database file made with SQLite's online backup API, and the checks of a copy.

Every copy is made while the program may be writing (the backup API gives a consistent snapshot),
into a temporary file (db/tempfiles.py), switched to a single-file journal, checked with
``PRAGMA integrity_check`` and the schema (db/health.py), and only then given its name. A source
whose copy fails the checks is damaged: :func:`copy_database` raises DamagedFileError.

Also here, the storage side of a restore: folding and removing the replaced file's ``-wal``,
keeping the raw bytes of a file too damaged to copy, and reading what a copy holds. When to copy,
where, what to keep and which copies are whose is the backup policy (services/safety/).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jxc_desktop.db import health
from jxc_desktop.db.tempfiles import PARTIAL, TempFile, claim, companions, fsync_dir
from jxc_desktop.db.uri import sqlite_uri
from jxc_desktop.domain.errors import DatabaseError, StateError

# ``progress(done_pages, total_pages) -> bool``: return False to cancel.
Progress = Callable[[int, int], bool | None]


def backup_into(src: Path, path: Path, progress: Progress | None = None) -> None:
    """Online backup of ``src`` into the new (empty) file ``path``, made a single self-contained file
    and checked (``integrity_check`` and a complete schema). Raises DamagedFileError when the copy
    shows the source is damaged, StateError when ``progress`` cancelled."""
    # The message of a damaged source is the Database's (db/uow.py, SQLAlchemy): imported for a
    # backup only, so a command that merely cleans stray files beside the shop does not load it.
    from jxc_desktop.db.uow import damaged_error

    cancelled = False

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal cancelled
        if progress is not None and progress(total - remaining, total) is False:
            cancelled = True
            raise InterruptedError

    try:
        source = sqlite3.connect(sqlite_uri(src), uri=True, timeout=10)
        try:
            target = sqlite3.connect(path)
            try:
                source.backup(target, pages=256, progress=step)
                # A self-contained single file, so it can be carried on a USB stick as it is.
                target.execute("PRAGMA journal_mode=DELETE")
                rows = [str(r[0]) for r in target.execute(f"PRAGMA integrity_check({health.MAX_ROWS})")]
                problems = health.schema_problems(target) if rows == ["ok"] else rows
            finally:
                target.close()
        finally:
            source.close()
    except BaseException as exc:
        if cancelled:
            raise StateError("The backup was cancelled; nothing was written.") from None
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            raise damaged_error(src, str(exc)) from exc  # malformed: the source cannot even be read
        raise
    if problems:
        raise damaged_error(src, health.summary(problems))
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def copy_database(src: Path, dest: Path, progress: Progress | None = None, *, numbered: bool = False) -> Path:
    """A checked copy of ``src`` as the new file ``dest`` (or, ``numbered``, the first free
    ``dest-n``), made in a temporary file and given its name only when complete. Raises DatabaseError
    (DamagedFileError when the source is damaged) and leaves no partial file. Returns the file."""
    try:
        with TempFile(dest.parent, PARTIAL) as tmp:
            backup_into(src, tmp.path, progress)
            written = claim(tmp.path, dest, numbered=numbered)
        fsync_dir(dest.parent)
        return written
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError("Could not write the backup to {path}: {reason}", path=str(dest),
                            reason=str(exc)) from exc


def copy_raw(data_path: Path, dest: Path) -> Path:
    """The bytes of a file too damaged for the backup API, with its write-ahead log beside them, as
    the new file ``dest`` (or the first free ``dest-n``). Raises OSError."""
    folder = dest.parent
    with TempFile(folder, PARTIAL) as tmp:
        shutil.copyfile(data_path, tmp.path)
        wal = data_path.with_name(data_path.name + "-wal")
        with tmp.path.open("rb") as fh:
            os.fsync(fh.fileno())
        dest = claim(tmp.path, dest, numbered=True)
        if wal.exists():
            shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
    fsync_dir(folder)
    return dest


def retire_wal(data_path: Path, *, holds_data: bool) -> None:
    """Before a file is renamed over ``data_path``: fold the write-ahead log of a healthy current
    file into it, then remove its ``-wal``/``-shm``/``-journal`` — left beside the new file they would
    be read as its own. Refused (nothing changed) when another program still reads the log."""
    wal = data_path.with_name(data_path.name + "-wal")
    if holds_data and wal.exists() and wal.stat().st_size:
        con = sqlite3.connect(sqlite_uri(data_path, mode="rw"), uri=True, timeout=2)
        try:
            busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as exc:
            raise DatabaseError("The database is busy (another program is using it). Try again.") from exc
        finally:
            con.close()
        if busy:
            raise DatabaseError("The database is in use by another program; close it before restoring.")
    for side in companions(data_path):
        side.unlink(missing_ok=True)


def make_self_contained(path: Path) -> None:
    """One file with no ``-wal`` beside it (rollback journal), so it can be renamed or carried."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def read_setting(path: Path, key: str) -> str:
    """One value of a file's ``setting`` table ("" when it has none or cannot be read); read-only
    and cheap (one row), so a list of copies can be sorted without checking them."""
    try:
        con = sqlite3.connect(sqlite_uri(path), uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row and row[0] else ""


@dataclass(frozen=True)
class CopyContents:
    """What a readable copy holds (``problem``: why it is not readable or not whole)."""

    problem: str = ""
    products: int = 0
    sales: int = 0
    last_sale_at: str | None = None  # as stored (naive UTC ISO text)
    setting: str = ""  # the value of the setting asked for


def read_contents(path: Path, setting_key: str, *, thorough: bool = True) -> CopyContents:
    """Check a copy (``thorough``: the full ``integrity_check``, seconds on a big file) and count
    what it holds; read-only. The caller has classified the file first (db/filecheck.py)."""
    try:
        con = sqlite3.connect(sqlite_uri(path), uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(5)")] if thorough else ["ok"]
            if rows != ["ok"]:
                return CopyContents(DatabaseError("The database file {path} is damaged ({reason}).", path=str(path),
                                                  reason="; ".join(map(str, rows))[:200]).message)
            products = con.execute("SELECT count(*) FROM product").fetchone()[0]
            sales, last = con.execute("SELECT count(*), max(created_at) FROM sale WHERE kind = 'sale'").fetchone()
            value = con.execute("SELECT value FROM setting WHERE key = ?", (setting_key,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return CopyContents(DatabaseError("The database file {path} is damaged ({reason}).", path=str(path),
                                          reason=str(exc)).message)
    return CopyContents("", int(products), int(sales), last, str(value[0]) if value and value[0] else "")
