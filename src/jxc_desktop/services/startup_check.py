"""Look at a database file before anything opens it for writing.

``check_file()`` only reads (SQLite read-only mode, never a write): it tells a healthy file from a
missing or empty one, a damaged or truncated one, another program's file and one written by a
newer JXC. The window (app.py) and ``jxc`` call it first and, when the file is not usable, offer
to restore the newest good backup (services/backup.py) or to choose another file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from jxc_desktop.db import health
from jxc_desktop.db.migrate import CORE_TABLES, head_revision, known_revisions
from jxc_desktop.db.uri import name_problem, sqlite_uri
from jxc_desktop.domain.errors import DatabaseError

SQLITE_MAGIC = b"SQLite format 3\x00"


class FileState(StrEnum):
    MISSING = "missing"  # no file yet: a new shop
    EMPTY = "empty"  # zero bytes or no tables: no shop data in it
    OK = "ok"  # a JXC database at this program's schema
    OLDER = "older"  # a JXC database of an older schema: upgraded (after a backup) on opening
    DAMAGED = "damaged"  # truncated or failing quick_check
    NOT_JXC = "not_jxc"  # random bytes or another program's SQLite database
    NEWER = "newer"  # written by a newer JXC Desktop
    UNREADABLE = "unreadable"  # a folder, no permission, locked by the system


@dataclass(frozen=True)
class FileCheck:
    path: Path
    state: FileState
    revision: str | None = None
    reason: str = ""  # technical detail for the message

    @property
    def usable(self) -> bool:
        """Safe to open (and create or upgrade) for writing."""
        return self.state in (FileState.MISSING, FileState.EMPTY, FileState.OK, FileState.OLDER)

    @property
    def holds_data(self) -> bool:
        return self.state in (FileState.OK, FileState.OLDER)

    def error(self) -> DatabaseError | None:
        """The message for a file that must not be opened; None when it is usable."""
        from jxc_desktop.i18n import _

        p = str(self.path)
        reason = _(self.reason)  # the fixed reasons below are translated; SQLite's own text is not
        if self.state == FileState.DAMAGED:
            return DatabaseError("The database file {path} is damaged ({reason}). It was not opened and "
                                 "nothing in it was changed. Restore the newest good backup or choose another "
                                 "file.", path=p, reason=reason)
        if self.state == FileState.NOT_JXC:
            return DatabaseError("{path} is not a JXC Desktop database ({reason}). It was not opened or "
                                 "changed. Choose another file or restore a backup.", path=p, reason=reason)
        if self.state == FileState.NEWER:
            return DatabaseError("{path} was written by a newer version of JXC Desktop (schema {revision}). "
                                 "Install that version to open it, or restore a backup.", path=p,
                                 revision=self.revision or "?")
        if self.state == FileState.UNREADABLE:
            return DatabaseError("Cannot read the database file {path}: {reason}", path=p, reason=reason)
        return None

    def raise_if_unusable(self) -> None:
        err = self.error()
        if err is not None:
            raise err


def _header_problem(path: Path, size: int) -> tuple[FileState, str] | None:
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_MAGIC):
        return FileState.NOT_JXC, "not an SQLite file"
    if len(header) < 100:
        return FileState.DAMAGED, "the file is truncated"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return FileState.DAMAGED, "bad page size in the header"
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if counter_valid and pages and size < pages * page_size:
        return FileState.DAMAGED, "the file is truncated"
    if size % page_size:
        return FileState.DAMAGED, "the file is truncated"
    return None


def check_file(path: Path | str) -> FileCheck:
    """Classify a database file without writing to it."""
    path = Path(path)
    if name_problem(path):
        return FileCheck(path, FileState.UNREADABLE, reason=name_problem(path) or "")
    try:
        if not path.exists():
            return FileCheck(path, FileState.MISSING)
        if not path.is_file():
            return FileCheck(path, FileState.UNREADABLE, reason="it is not a file")
        size = path.stat().st_size
        if size == 0:
            return FileCheck(path, FileState.EMPTY, reason="0 bytes")
        problem = _header_problem(path, size)
    except OSError as exc:
        return FileCheck(path, FileState.UNREADABLE, reason=exc.strerror or str(exc))
    if problem is not None:
        return FileCheck(path, problem[0], reason=problem[1])
    try:
        con = sqlite3.connect(sqlite_uri(path), uri=True)
    except sqlite3.Error as exc:
        return FileCheck(path, FileState.UNREADABLE, reason=str(exc))
    try:
        rows = [r[0] for r in con.execute("PRAGMA quick_check(5)")]
        if rows != ["ok"]:
            return FileCheck(path, FileState.DAMAGED, reason="; ".join(str(r) for r in rows)[:300])
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables - {"sqlite_sequence"}:
                return FileCheck(path, FileState.NOT_JXC, reason="it holds another program's tables")
            return FileCheck(path, FileState.EMPTY, reason="no tables")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        state = FileState.NOT_JXC if "not a database" in text else FileState.DAMAGED
        if "locked" in text or "unable to open" in text:
            state = FileState.UNREADABLE
        return FileCheck(path, state, reason=text)
    finally:
        con.close()
    revision = row[0] if row else None
    if revision is None:
        return FileCheck(path, FileState.DAMAGED, reason="no schema revision recorded")
    if revision not in known_revisions():
        return FileCheck(path, FileState.NEWER, revision=revision)
    missing = CORE_TABLES - tables
    if missing:
        return FileCheck(path, FileState.DAMAGED, revision=revision,
                         reason="missing tables: " + ", ".join(sorted(missing)))
    if revision == head_revision():
        # Every table, index and trigger of this version is there: a dropped index or table is
        # damage, not a smaller shop (quick_check does not notice either).
        try:
            incomplete = health.file_schema_problems(path)
        except DatabaseError as exc:
            return FileCheck(path, FileState.UNREADABLE, revision=revision, reason=exc.message)
        if incomplete:
            return FileCheck(path, FileState.DAMAGED, revision=revision, reason=health.summary(incomplete))
    state = FileState.OK if revision == head_revision() else FileState.OLDER
    return FileCheck(path, state, revision=revision)


@dataclass(frozen=True)
class StartupAdvice:
    """What the window should do with the data file at start-up."""

    check: FileCheck
    newest_backup: Path | None  # the newest backup that passed its checks, if any

    @property
    def open_directly(self) -> bool:
        """No question to ask: open (create/upgrade) the file."""
        if self.check.state == FileState.MISSING or (
                self.check.state == FileState.EMPTY and self.check.reason == "0 bytes"):
            # A missing or zero-byte file where backups exist is lost data, not a new shop: ask first.
            return self.newest_backup is None
        return self.check.usable

    @property
    def can_restore(self) -> bool:
        return self.newest_backup is not None


def advise(path: Path | str, backup_dir: Path | None = None) -> StartupAdvice:
    """Check ``path`` and, when it is not fit to open, find the newest good backup to offer."""
    check = check_file(path)
    newest: Path | None = None
    if check.state not in (FileState.OK, FileState.OLDER):
        from jxc_desktop.services.backup import default_backup_dir, find_newest_good_backup

        folder = backup_dir or default_backup_dir(Path(path))
        found = find_newest_good_backup(folder)
        newest = found.path if found else None
    return StartupAdvice(check, newest)
