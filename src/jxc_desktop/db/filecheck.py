"""Classify a database file before anything opens it for writing (the start-up check).

``check_file()`` only reads (SQLite read-only mode, never a write): it tells a healthy file from a
missing or empty one, a damaged or truncated one, another program's file and one written by a
newer JXC. The window (app.py), ``jxc`` and the backups call it first; what to offer when the file
is not usable (the newest good backup) is the safety package's business (services/safety/startup_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jxc_desktop.db import damage_mark, health
from jxc_desktop.db.fileprobe import ZERO_BYTES, FileState, Probe, refusal
from jxc_desktop.db.migrate import probe
from jxc_desktop.db.uri import name_problem
from jxc_desktop.domain.errors import DatabaseError

__all__ = ["FileCheck", "FileState", "check_file"]


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

    @property
    def lost(self) -> bool:
        """Missing or zero bytes: where copies exist, lost data rather than a new shop."""
        return self.state == FileState.MISSING or (self.state == FileState.EMPTY and self.reason == ZERO_BYTES)

    def error(self) -> DatabaseError | None:
        """The message for a file that must not be opened; None when it is usable."""
        return refusal(Probe(self.path, self.state, self.revision, self.reason, self.stamped))

    def raise_if_unusable(self) -> None:
        err = self.error()
        if err is not None:
            raise err


def check_file(path: Path | str) -> FileCheck:
    """Classify a database file without writing to it (db/fileprobe.py); a JXC file at this
    version must also have every table, index and trigger of it (a dropped index or table is damage,
    not a smaller shop), and one an earlier full check found damaged stays damaged
    (db/damage_mark.py). Nothing here reads more than the header and the schema."""
    path = Path(path)
    problem = name_problem(path)
    if problem:
        return FileCheck(path, FileState.UNREADABLE, reason=problem)
    found = probe(path)
    if found.state in (FileState.OK, FileState.OLDER):
        recorded = damage_mark.recorded(path)  # an earlier full check's verdict (db/damage_mark.py)
        if recorded is not None:
            return FileCheck(found.path, FileState.DAMAGED, found.revision, recorded, found.stamped)
    if found.state == FileState.OK:
        try:
            incomplete = health.file_schema_problems(path)
        except DatabaseError as exc:
            return FileCheck(found.path, FileState.UNREADABLE, found.revision, exc.message, found.stamped)
        if incomplete:
            return FileCheck(found.path, FileState.DAMAGED, found.revision, health.summary(incomplete), found.stamped)
    return FileCheck(found.path, found.state, found.revision, found.reason, found.stamped)
