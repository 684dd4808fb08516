"""Backups and restore.

Every copy is made with SQLite's online backup API (consistent even while the program writes),
written to a ``.partial`` file, switched to a single-file journal, checked with
``PRAGMA integrity_check`` and only then renamed to its final name, which carries its local time:
``jxc-auto-20261125-083000.sqlite3``. Automatic copies (once a local day) are rotated: the newest
copy of each of the last 7 days that have one, and of each of the last 12 months, are kept;
manual copies and the copies taken before a restore are never deleted by the program.

Restore checks the chosen copy first, saves the current file (a raw byte copy when it is damaged,
so nothing is ever lost), then replaces the data file in one rename with its ``-wal``/``-shm``
companions removed, and upgrades it if the copy came from an older version.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Setting
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DatabaseError, StateError
from jxc_desktop.services import audit
from jxc_desktop.services.startup_check import FileState, check_file

BACKUP_DIR_KEY = "backup_dir"  # user setting ("" = a "backups" folder beside the data file)
LAST_BACKUP_KEY = "sys.last_backup_at"  # internal: ISO UTC time of the last good backup
KEEP_DAILY = 7
KEEP_MONTHLY = 12
OVERDUE_DAYS = 3
SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M%S"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<kind>auto|backup|before-restore|damaged|before-upgrade)-"
                      r"(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")

# ``progress(done_pages, total_pages) -> bool``: return False to cancel.
Progress = Callable[[int, int], bool | None]


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, for the restore dialog and ``jxc restore``."""

    path: Path
    made_at: datetime | None  # aware; from the name, else the file time
    size: int
    ok: bool
    problem: str = ""  # the localized reason when not ok
    revision: str | None = None
    products: int = 0
    sales: int = 0
    last_sale_at: datetime | None = None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    saved_current: Path | None  # where the replaced file was kept
    upgraded_from: str | None


def default_backup_dir(data_path: Path) -> Path:
    return Path(data_path).parent / "backups"


def stamp(moment: datetime) -> str:
    """A moment as local time for a file name."""
    return moment.astimezone().strftime(_STAMP)


def time_of(path: Path) -> datetime | None:
    """When a backup was made: the local time in its name, else the file's modification time."""
    m = _NAME_RE.match(path.name)
    if m:
        try:
            return datetime.strptime(m.group("stamp"), _STAMP).astimezone()
        except ValueError:
            pass
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def _unique(path: Path) -> Path:
    n = 1
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _copy_database(src: Path, dest: Path, progress: Progress | None = None) -> None:
    """Online backup ``src`` -> ``dest`` (a new file), checked; raises DatabaseError, leaves no partial."""
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    cancelled = False

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal cancelled
        if progress is not None and progress(total - remaining, total) is False:
            cancelled = True
            raise InterruptedError

    try:
        source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target, pages=256, progress=step)
                # A self-contained single file, so it can be carried on a USB stick as it is.
                target.execute("PRAGMA journal_mode=DELETE")
                rows = [r[0] for r in target.execute("PRAGMA integrity_check(5)")]
            finally:
                target.close()
        finally:
            source.close()
        if rows != ["ok"]:
            raise DatabaseError("The backup copy failed its check ({reason}); it was not kept.",
                                reason="; ".join(map(str, rows))[:200])
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if cancelled:
            raise StateError("The backup was cancelled; nothing was written.") from None
        if isinstance(exc, DatabaseError):
            raise
        if isinstance(exc, sqlite3.Error | OSError):
            raise DatabaseError("Could not write the backup to {path}: {reason}", path=str(dest),
                                reason=str(exc)) from exc
        raise


def describe(path: Path | str, *, thorough: bool = True) -> BackupInfo:
    """Check a backup file and count what it holds (read-only). ``thorough`` runs the full
    ``integrity_check`` (seconds on a big file); otherwise only the start-up ``quick_check``."""
    path = Path(path)
    check = check_file(path)
    made = time_of(path) if path.exists() else None
    size = path.stat().st_size if path.is_file() else 0
    if not check.holds_data:
        err = check.error()
        problem = err.message if err else DatabaseError("{path} holds no shop data.", path=str(path)).message
        return BackupInfo(path, made, size, False, problem, check.revision)
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(5)")] if thorough else ["ok"]
            if rows != ["ok"]:
                problem = DatabaseError("The database file {path} is damaged ({reason}).", path=str(path),
                                        reason="; ".join(map(str, rows))[:200]).message
                return BackupInfo(path, made, size, False, problem, check.revision)
            products = con.execute("SELECT count(*) FROM product").fetchone()[0]
            sales, last = con.execute("SELECT count(*), max(created_at) FROM sale WHERE kind = 'sale'").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        problem = DatabaseError("The database file {path} is damaged ({reason}).", path=str(path),
                                reason=str(exc)).message
        return BackupInfo(path, made, size, False, problem, check.revision)
    last_at = datetime.fromisoformat(last).replace(tzinfo=UTC) if last else None
    return BackupInfo(path, made, size, True, "", check.revision, int(products), int(sales), last_at)


def list_backups(folder: Path) -> list[Path]:
    """Backup files in a folder, newest first (by the time in their names)."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob(f"*{SUFFIX}") if p.is_file()]

    def key(p: Path) -> tuple[datetime, int]:  # copies made within one second: the file time decides
        return time_of(p) or datetime.min.replace(tzinfo=UTC), p.stat().st_mtime_ns

    return sorted(files, key=key, reverse=True)


def find_newest_good_backup(folder: Path) -> BackupInfo | None:
    """The newest copy in ``folder`` that passes its checks (damaged copies are skipped)."""
    for path in list_backups(folder):
        m = _NAME_RE.match(path.name)
        if m and m.group("kind") == "damaged":
            continue
        info = describe(path)
        if info.ok:
            return info
    return None


def rotation_keep(paths: list[Path]) -> set[Path]:
    """Of automatic copies: the newest of each of the last 7 days and of the last 12 months."""
    dated = [(time_of(p), p) for p in paths]
    stamped = sorted(((t, p) for t, p in dated if t is not None), key=lambda tp: tp[0], reverse=True)
    keep: set[Path] = set()
    days: dict[date, Path] = {}
    months: dict[tuple[int, int], Path] = {}
    for t, p in stamped:
        local = t.astimezone()
        days.setdefault(local.date(), p)
        months.setdefault((local.year, local.month), p)
    keep.update(list(days.values())[:KEEP_DAILY])
    keep.update(list(months.values())[:KEEP_MONTHLY])
    keep.update(p for t, p in dated if t is None)  # never delete what we cannot date
    return keep


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

    # ------------------------------------------------------------------ settings
    def backup_dir(self) -> Path:
        with self.db.read() as uow:
            chosen = (uow.session.scalar(select(Setting.value).where(Setting.key == BACKUP_DIR_KEY)) or "").strip()
        return Path(chosen).expanduser() if chosen else default_backup_dir(self.data_path)

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
        name = f"{self.data_path.stem}-{kind}-{stamp(now)}{SUFFIX}"
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
        if folder_given:
            target = _unique(target)
        elif target.exists():
            raise StateError("{path} already exists; choose another name.", path=str(target))
        _copy_database(self.data_path, target, progress)  # integrity-checked on the way
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
        prefix = f"{self.data_path.stem}-auto-"
        return [p for p in list_backups(folder) if p.name.startswith(prefix) and _NAME_RE.match(p.name)]

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
        times: list[datetime] = []
        if row:
            with contextlib.suppress(ValueError):
                times.append(datetime.fromisoformat(row))
        for p in list_backups(self.backup_dir()):
            m = _NAME_RE.match(p.name)
            if m and m.group("kind") in ("auto", "backup") and p.stat().st_size > 0:
                t = time_of(p)
                if t is not None:
                    times.append(t)
                break
        return max(times) if times else None

    def backup_overdue(self, days: int = OVERDUE_DAYS) -> bool:
        last = self.last_good_backup()
        return last is None or self.clock() - last > timedelta(days=days)

    def newest_good_backup(self) -> BackupInfo | None:
        return find_newest_good_backup(self.backup_dir())

    # ------------------------------------------------------------------ restore
    def restore(self, source: Path | str) -> RestoreResult:
        """Replace the data file by a checked backup (see :func:`restore_file`)."""
        folder = self.backup_dir()
        self.db.dispose()
        return restore_file(Path(source), self.data_path, folder, now=self.clock())


def _save_current(data_path: Path, folder: Path, now: datetime) -> Path | None:
    """Keep the file about to be replaced: a checked online copy if healthy, else its raw bytes."""
    check = check_file(data_path)
    if check.state in (FileState.MISSING,) or (check.state == FileState.EMPTY and check.reason == "0 bytes"):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    if check.holds_data or check.state == FileState.EMPTY:
        dest = _unique(folder / f"{data_path.stem}-before-restore-{stamp(now)}{SUFFIX}")
        _copy_database(data_path, dest)
        return dest
    dest = _unique(folder / f"{data_path.stem}-damaged-{stamp(now)}{SUFFIX}")
    try:
        shutil.copy2(data_path, dest)
        wal = data_path.with_name(data_path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, dest.with_name(dest.name + "-wal"))
    except OSError as exc:
        raise DatabaseError("Could not keep a copy of the current file in {path}: {reason}",
                            path=str(folder), reason=exc.strerror or str(exc)) from exc
    return dest


def _quiesce(data_path: Path) -> None:
    """Fold the write-ahead log into a healthy current file; refuse when another program uses it."""
    check = check_file(data_path)
    if not check.holds_data:
        return
    con = sqlite3.connect(data_path, timeout=2)
    try:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        raise DatabaseError("The database is busy (another program is writing). Try again.") from exc
    finally:
        con.close()
    if busy:
        raise DatabaseError("The database is in use by another program; close it before restoring.")


def restore_file(source: Path, data_path: Path, folder: Path, *, now: datetime | None = None) -> RestoreResult:
    """Check ``source``, keep the current ``data_path`` in ``folder``, then put the copy in its place."""
    now = now or utcnow()
    source, data_path = Path(source), Path(data_path)
    info = describe(source)
    if not info.ok:
        raise DatabaseError("This backup cannot be restored: {reason}", reason=info.problem)
    if source.resolve() == data_path.resolve():
        raise StateError("That is the data file itself; choose a backup copy.")
    incoming = data_path.with_name(data_path.name + ".restoring")
    data_path.parent.mkdir(parents=True, exist_ok=True)
    _copy_database(source, incoming)
    try:
        _quiesce(data_path)
        saved = _save_current(data_path, folder, now)
        for side in ("-wal", "-shm", "-journal"):
            data_path.with_name(data_path.name + side).unlink(missing_ok=True)
        os.replace(incoming, data_path)
        _fsync_dir(data_path.parent)
    finally:
        incoming.unlink(missing_ok=True)
    result = migrate(data_path, backup_dir=folder)
    db = Database.for_file(data_path)
    try:
        with db.write() as uow:
            audit.record(uow.session, audit.RESTORE, document=source.name[:40],
                         before=str(saved) if saved else "", after=str(source),
                         detail={"made_at": info.made_at.isoformat() if info.made_at else "",
                                 "products": info.products, "sales": info.sales}, at=now)
            uow.commit()
    finally:
        db.dispose()
    return RestoreResult(source, saved, result.upgraded_from)
