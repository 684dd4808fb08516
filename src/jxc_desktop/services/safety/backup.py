"""Backups of the open shop (the policy): when a copy is due, where it goes, which are kept, the
shop's identity, and restore as the window and ``jxc`` ask for it.

Every copy is made with SQLite's online backup API and checked before it gets its name
(db/backup_copy.py). Automatic copies are made once a local day (at start-up or on closing) and
after the day's first documents, and rotated (backup_files.rotation_keep); a backup of a damaged
file is refused (its copy fails the same checks), and the data file is then marked damaged so
nothing more is written into it. Restoring is restore.py.

This module is also the one place the window and ``jxc`` import for backups: the names of
backup_files.py and restore.py they use are listed in ``__all__``.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from jxc_desktop.db.backup_copy import Progress, copy_database
from jxc_desktop.db.models import Product, Purchase, Sale, Setting, StockCount, StockMove
from jxc_desktop.db.tempfiles import SUFFIX
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DamagedFileError, DatabaseError, StateError
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.backup_files import (
    BACKUP_DIR_KEY,
    KEEP_DAILY,
    KEEP_MONTHLY,
    LAST_BACKUP_KEY,
    NAME_RE,
    SHOP_ID_KEY,
    BackupInfo,
    backup_folder,
    backup_name,
    belongs,
    clean_stray_files,
    default_backup_dir,
    describe,
    find_newest_good_backup,
    last_good_time,
    list_backups,
    rotation_keep,
    same_file_name,
    shop_id_of,
    stamp,
    time_of,
)
from jxc_desktop.services.safety.restore import RestoreResult, restore_file

__all__ = ["BACKUP_DIR_KEY", "KEEP_DAILY", "KEEP_MONTHLY", "LAST_BACKUP_KEY", "OVERDUE_DAYS", "SHOP_ID_KEY",
           "SUFFIX", "BackupInfo", "BackupService", "Progress", "RestoreResult", "backup_name", "belongs",
           "clean_stray_files", "default_backup_dir", "describe", "find_newest_good_backup", "list_backups",
           "restore_file", "rotation_keep", "same_file_name", "shop_id_of", "stamp", "time_of"]

OVERDUE_DAYS = 3


class BackupService:
    """Backups of one data file. ``clock`` is injectable so rotation can be tested on faked dates."""

    def __init__(self, db: Database, data_path: Path | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self._data_path = data_path or db.path
        self.clock = clock

    @property
    def data_path(self) -> Path:
        if self._data_path is None:
            raise StateError("Backups need a database file")
        return Path(self._data_path)

    # ------------------------------------------------------------------ identity
    def shop_id(self, *, create: bool = True) -> str:
        """This shop's id: made (random) the first time it is asked for, so a new shop gets one when
        it is first opened and an existing one on its first open with this version."""
        with self.db.read() as uow:
            found = uow.session.scalar(select(Setting.value).where(Setting.key == SHOP_ID_KEY)) or ""
        if found or not create:
            return found
        with self.db.write() as uow:
            row = uow.session.get(Setting, SHOP_ID_KEY)
            if row is None or not row.value:
                new = secrets.token_hex(8)
                if row is None:
                    uow.session.add(Setting(key=SHOP_ID_KEY, value=new))
                else:
                    row.value = new
                uow.commit()
                return new
            return row.value

    def is_ours(self, copy: Path, copy_id: str | None = None) -> bool:
        """Whether a backup copy was made from this shop."""
        return belongs(shop_id_of(copy) if copy_id is None else copy_id, self.shop_id(create=False),
                       self.data_path, copy)

    # ------------------------------------------------------------------ settings
    def backup_dir(self) -> Path:
        with self.db.read() as uow:
            chosen = uow.session.scalar(select(Setting.value).where(Setting.key == BACKUP_DIR_KEY))
        return backup_folder(chosen, self.data_path)

    def _note_good_backup(self, when: datetime, path: Path, kind: str) -> None:
        # The copy is made and checked; if the note cannot be written, its name still dates it.
        with contextlib.suppress(DatabaseError):
            self._write_note(when, path, kind)

    def _write_note(self, when: datetime, path: Path, kind: str) -> None:
        with self.db.write() as uow:
            s = uow.session
            row = s.get(Setting, LAST_BACKUP_KEY)
            if row is None:
                s.add(Setting(key=LAST_BACKUP_KEY, value=when.astimezone(UTC).isoformat()))
            else:
                row.value = when.astimezone(UTC).isoformat()
            audit.record(s, audit.BACKUP, document=kind, after=str(path), at=when)
            uow.commit()

    # ------------------------------------------------------------------ making copies
    def backup(self, dest: Path | str | None = None, *, progress: Progress | None = None,
               kind: str = "backup") -> BackupInfo:
        """A checked copy. ``dest`` a folder (a timed name is chosen), a file name, or None for
        the backup folder."""
        now = self.clock()
        name = backup_name(self.data_path, kind, now)
        folder_given = dest is None or Path(dest).is_dir() or not Path(dest).suffix
        if dest is None:
            target = self.backup_dir() / name
        else:
            dest = Path(dest).expanduser()
            target = dest / name if folder_given else dest
        if target.resolve() == self.data_path.resolve():
            raise StateError("A backup cannot be written over the data file itself.")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError("Could not write the backup to {path}: {reason}", path=str(target),
                                reason=exc.strerror or str(exc)) from exc
        if not folder_given and target.exists():
            raise StateError("{path} already exists; choose another name.", path=str(target))
        clean_stray_files(self.data_path, target.parent)
        with contextlib.suppress(DatabaseError):
            self.shop_id()  # the copy carries the shop's identity
        try:
            # integrity- and schema-checked on the way; a numbered name when the second is taken
            target = copy_database(self.data_path, target, progress, numbered=folder_given)
        except DamagedFileError as exc:
            reason = str(exc.params.get("reason", ""))
            self.db.mark_damaged(reason)  # nothing more goes into a file its backup found damaged
            raise DamagedFileError("The data file {path} is damaged ({reason}), so no backup was made; nothing more "
                                   "is written into it. Restore the newest good backup (File → Restore, or jxc restore).",
                                   path=str(self.data_path), reason=reason) from exc
        self.db.passed_full_check()  # the copy was checked in full: so was the file a moment ago
        self._note_good_backup(now, target, kind)
        return describe(target, thorough=False)

    def auto_backup_due(self) -> bool:
        today = self.clock().astimezone().date()
        for p in self._auto_files():
            t = time_of(p)
            if t is not None and t.astimezone().date() == today:
                return False
        return True

    def auto_backup(self) -> BackupInfo | None:
        """The daily copy (start-up or exit): made when today has none yet, then old ones rotated."""
        if not self.auto_backup_due():
            return None
        info = self.backup(kind="auto")
        self.rotate()
        return info

    def _auto_files(self) -> list[Path]:
        folder = self.backup_dir()
        prefix = backup_name(self.data_path, "auto", self.clock()).rpartition("-auto-")[0] + "-auto-"
        return [p for p in list_backups(folder) if p.name.startswith(prefix) and NAME_RE.match(p.name)]

    def rotate(self) -> list[Path]:
        """Delete automatic copies beyond 7 daily and 12 monthly; returns the deleted paths."""
        files = self._auto_files()
        keep = rotation_keep(files)
        removed = []
        for p in files:
            if p not in keep:
                p.unlink(missing_ok=True)
                removed.append(p)
        return removed

    # ------------------------------------------------------------------ status
    def last_good_backup(self) -> datetime | None:
        """The newest of: the time recorded in this file, and the newest good-looking copy in the folder."""
        with self.db.read() as uow:
            row = uow.session.scalar(select(Setting.value).where(Setting.key == LAST_BACKUP_KEY))
        return last_good_time(row, self.backup_dir(), self.shop_id(create=False), self.data_path)

    _WORK_COLUMNS = (StockMove.created_at, Product.created_at, Sale.created_at, Purchase.created_at)

    def last_work_at(self) -> datetime | None:
        """When the shop's data last changed in a way worth a copy: a stock movement (every sale,
        return, purchase, count and opening stock), a product, a sale or a purchase note (drafts too)."""
        return self._work_time(newest=True)

    def _work_time(self, *, newest: bool, since: datetime | None = None) -> datetime | None:
        agg = func.max if newest else func.min
        with self.db.read() as uow:
            s = uow.session
            times = [s.scalar(select(agg(col)).where(col >= since) if since is not None else select(agg(col)))
                     for col in self._WORK_COLUMNS]
        found = [t if t.tzinfo else t.replace(tzinfo=UTC) for t in times if t is not None]
        return (max(found) if newest else min(found)) if found else None

    def first_document_at(self, since: datetime | None = None) -> datetime | None:
        """The first real document (a sale or return, a posted purchase note or stock count), of
        all time or from ``since`` on."""
        with self.db.read() as uow:
            s = uow.session
            times = [s.scalar(select(func.min(col)).where(col >= since) if since is not None
                              else select(func.min(col)))
                     for col in (Sale.created_at, Purchase.posted_at, StockCount.posted_at)]
        found = [t if t.tzinfo else t.replace(tzinfo=UTC) for t in times if t is not None]
        return min(found) if found else None

    def _midnight(self) -> datetime:
        now = self.clock().astimezone()
        return now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)

    def work_unbacked(self) -> bool:
        """Something was entered after this shop's last good backup (or there is none)."""
        work = self.last_work_at()
        if work is None:
            return False
        last = self.last_good_backup()
        return last is None or work >= last

    def work_today_unbacked(self) -> bool:
        """Something was entered today and no copy of this shop holds any of today's work yet (the
        status bar warns; the copy made on closing holds the rest of the day)."""
        first_today = self._work_time(newest=False, since=self._midnight())
        if first_today is None:
            return False
        last = self.last_good_backup()
        return last is None or last <= first_today

    def first_documents_unbacked(self) -> bool:
        """Today's first documents (a new shop's very first ones included) are in no copy yet: no
        backup of this shop since the first one of the day."""
        first = self.first_document_at(self._midnight())
        if first is None:
            return False
        last = self.last_good_backup()
        return last is None or last <= first

    def backup_after_work(self) -> BackupInfo | None:
        """The copy taken when the window closes (and after the day's first documents): made when
        something was entered since the last backup. Not rotated here, so the day's earlier copies
        stay until the next start's rotation (the newest of each past day is what is kept)."""
        if not self.work_unbacked():
            return None
        return self.backup(kind="auto")

    def backup_overdue(self, days: int = OVERDUE_DAYS) -> bool:
        last = self.last_good_backup()
        return last is None or self.clock() - last > timedelta(days=days)

    def newest_good_backup(self) -> BackupInfo | None:
        return find_newest_good_backup(self.backup_dir(), self.data_path, self.shop_id(create=False))

    # ------------------------------------------------------------------ restore
    def restore(self, source: Path | str, *, other_shop: bool = False) -> RestoreResult:
        """Replace the data file by a checked backup (see :func:`restore_file`). A copy made from
        another shop is refused unless ``other_shop`` says the owner chose it knowingly."""
        source = Path(source)
        copy_id, ours = shop_id_of(source), self.shop_id(create=False)
        if copy_id and ours and copy_id != ours and not other_shop:
            raise StateError("{path} is a backup of another shop, not of this one ({data}); nothing was restored.",
                             path=str(source), data=str(self.data_path))
        folder = self.backup_dir()
        self.db.dispose()
        result = restore_file(Path(source), self.data_path, folder, now=self.clock())
        self.db.mark_checked()  # the file now in place passed every check on its way in
        return result

