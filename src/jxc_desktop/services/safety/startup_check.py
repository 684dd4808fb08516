"""What to do with the data file at start-up: open it, or offer this shop's newest good backup.

The file is classified by ``check_file()`` (db/filecheck.py, read-only). When it is not fit to open,
the window (app.py, ui/dialogs/damaged_file_dialog.py) offers to restore the newest good copy of
this file (services/safety/backup_files.py) or to choose another file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jxc_desktop.db.filecheck import FileCheck, FileState, check_file
from jxc_desktop.services.safety.backup_files import default_backup_dir, find_newest_good_backup, shop_id_of

# FileCheck, FileState and check_file are the storage side (db/filecheck.py), listed here for the
# window's start-up dialog, which needs them with the advice.
__all__ = ["FileCheck", "FileState", "StartupAdvice", "advise", "check_file"]


@dataclass(frozen=True)
class StartupAdvice:
    """What the window should do with the data file at start-up."""

    check: FileCheck
    newest_backup: Path | None  # the newest backup that passed its checks, if any

    @property
    def open_directly(self) -> bool:
        """No question to ask: open (create/upgrade) the file."""
        if self.check.lost:
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
        folder = backup_dir or default_backup_dir(Path(path))
        shop = shop_id_of(Path(path)) if Path(path).is_file() else ""  # often readable even when damaged
        found = find_newest_good_backup(folder, Path(path), shop)  # only this file's copies, never another shop's
        newest = found.path if found else None
    return StartupAdvice(check, newest)
