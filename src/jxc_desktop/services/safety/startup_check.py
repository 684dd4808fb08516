"""Look at a database file before anything opens it for writing.

``check_file()`` only reads (SQLite read-only mode, never a write): it tells a healthy file from a
missing or empty one, a damaged or truncated one, another program's file and one written by a
newer JXC. The window (app.py) and ``jxc`` call it first and, when the file is not usable, offer
to restore the newest good backup (services/safety/backup.py) or to choose another file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jxc_desktop.db import health
from jxc_desktop.db.fileprobe import FileState, refusal
from jxc_desktop.db.migrate import probe
from jxc_desktop.db.uri import name_problem
from jxc_desktop.domain.errors import DatabaseError

__all__ = ["FileCheck", "FileState", "StartupAdvice", "advise", "check_file"]


@dataclass(frozen=True)
class FileCheck:
    path: Path
    state: FileState
    revision: str | None = None
    reason: str = ""  # technical detail for the message
    stamped: bool = False  # carries JXC's application id (db/fileprobe.py)

    @property
    def usable(self) -> bool:
        """Safe to open (and create or upgrade) for writing."""
        return self.state in (FileState.MISSING, FileState.EMPTY, FileState.OK, FileState.OLDER)

    @property
    def holds_data(self) -> bool:
        return self.state in (FileState.OK, FileState.OLDER)

    def error(self) -> DatabaseError | None:
        """The message for a file that must not be opened; None when it is usable."""
        from jxc_desktop.db.fileprobe import Probe

        return refusal(Probe(self.path, self.state, self.revision, self.reason, self.stamped))

    def raise_if_unusable(self) -> None:
        err = self.error()
        if err is not None:
            raise err


def check_file(path: Path | str) -> FileCheck:
    """Classify a database file without writing to it (db/fileprobe.py); a JXC file at this
    version must also have every table, index and trigger of it (a dropped index or table is damage,
    not a smaller shop: quick_check notices neither)."""
    path = Path(path)
    problem = name_problem(path)
    if problem:
        return FileCheck(path, FileState.UNREADABLE, reason=problem)
    found = probe(path)
    if found.state == FileState.OK:
        try:
            incomplete = health.file_schema_problems(path)
        except DatabaseError as exc:
            return FileCheck(found.path, FileState.UNREADABLE, found.revision, exc.message, found.stamped)
        if incomplete:
            return FileCheck(found.path, FileState.DAMAGED, found.revision, health.summary(incomplete), found.stamped)
    return FileCheck(found.path, found.state, found.revision, found.reason, found.stamped)


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
        from jxc_desktop.services.safety.backup import default_backup_dir, find_newest_good_backup, shop_id_of

        folder = backup_dir or default_backup_dir(Path(path))
        shop = shop_id_of(Path(path)) if Path(path).is_file() else ""  # often readable even when damaged
        found = find_newest_good_backup(folder, Path(path), shop)  # only this file's copies, never another shop's
        newest = found.path if found else None
    return StartupAdvice(check, newest)
