"""Backups and restore.

Every copy is made with SQLite's online backup API (consistent even while the program writes),
written to a ``.partial`` file, switched to a single-file journal, checked with
``PRAGMA integrity_check`` and only then renamed to its final name, which carries its local time:
``jxc-auto-20261125-083000.sqlite3``. Automatic copies (once a local day) are rotated: the newest
copy of each of the last 7 days that have one, and of each of the last 12 months, are kept;
manual copies and the copies taken before a restore are never deleted by the program.

A backup of a damaged file is refused (its copy fails the same checks), and the data file is marked
damaged so nothing more is written into it.

Restore (:func:`restore_file`) never touches the data file until the new one is ready: it copies the
chosen backup beside the data file (``.jxc-….restoring``), checks it, upgrades it if it came from
an older version and writes the restore's audit row into it. Only then does it take the data
file's exclusive use lock (:mod:`jxc_desktop.db.filelock`: refused while a window is open on the
file or another program is using it), keep the current file in the backup folder (a checked copy,
or its raw bytes when it is damaged — nothing is ever lost, and nothing can be committed after
this copy), fold and remove its ``-wal``/``-shm``, and rename the new file over it. At every moment
the data file is either the old one or the new one, whole; a restore or backup killed half-way
leaves only its temporary file, which the next start removes (:func:`clean_stray_files`).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from jxc_desktop.db import filelock, health
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Product, Purchase, Sale, Setting, StockCount, StockMove
from jxc_desktop.db.uow import Database, damaged_error
from jxc_desktop.db.uri import MAX_NAME_BYTES, check_name, short_name, sqlite_uri
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DamagedFileError, DatabaseError, StateError
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.startup_check import FileCheck, FileState, check_file

BACKUP_DIR_KEY = "backup_dir"  # user setting ("" = a "backups" folder beside the data file)
LAST_BACKUP_KEY = "sys.last_backup_at"  # internal: ISO UTC time of the last good backup
SHOP_ID_KEY = "sys.shop_id"  # internal: a random id given to a shop file once; every copy carries it
KEEP_DAILY = 7
KEEP_MONTHLY = 12
OVERDUE_DAYS = 3
SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M%S"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<kind>auto|backup|before-restore|damaged|before-upgrade)-"
                      r"(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")
TEMP_PREFIX = ".jxc-"  # temporary files: ".jxc-<random>.partial" (a backup), ".jxc-<random>.restoring"
PARTIAL, RESTORING, UPGRADING = ".partial", ".restoring", ".upgrading"

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
    shop_id: str = ""  # the shop the copy was made from ("" = a copy older than shop ids)


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


def backup_name(data_path: Path, kind: str, moment: datetime, n: int = 0) -> str:
    """``<stem>-<kind>-<local time>[-n].sqlite3``; a long stem is shortened so the name (and SQLite's
    ``-journal`` beside it) still fits in a file name."""
    tail = f"-{kind}-{stamp(moment)}{f'-{n}' if n else ''}{SUFFIX}"
    return short_name(Path(data_path).stem, len(tail.encode()) + 4) + tail  # + room for "-999"


def shop_id_of(path: Path) -> str:
    """The shop id stored in a data file or backup copy ("" when it has none or cannot be read);
    read-only and cheap (one row), so a list of copies can be sorted by shop without checking them."""
    try:
        con = sqlite3.connect(sqlite_uri(path), uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (SHOP_ID_KEY,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return ""
    return str(row[0]) if row and row[0] else ""


def same_file_name(data_path: Path, copy: Path) -> bool:
    """Whether a copy's name says it was made from a file named like ``data_path`` (the only sign
    of ownership for copies made before shop ids, and for a data file that is lost or damaged)."""
    m = _NAME_RE.match(copy.name)
    if not m:
        return False
    ours, theirs = Path(data_path).stem, m.group("stem")
    shortened = len(copy.name.encode()) > MAX_NAME_BYTES - 8  # a long stem is cut to fit (backup_name)
    return theirs == ours or (shortened and ours.startswith(theirs))


def belongs(copy_id: str, shop_id: str, data_path: Path, copy: Path) -> bool:
    """A copy is this shop's when its id is ours; a copy without an id, when its name is ours."""
    if copy_id and shop_id:
        return copy_id == shop_id
    return same_file_name(data_path, copy)


def _candidates(path: Path) -> list[Path]:
    """``path``, then ``path-1``, ``path-2``... (copies made within the same second)."""
    return [path] + [path.with_name(f"{path.stem}-{n}{path.suffix}") for n in range(1, 1000)]


def _temp_path(folder: Path, suffix: str) -> Path:
    return folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}{suffix}"


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + side) for side in ("-journal", "-wal", "-shm")]


class _TempFile:
    """A temporary file beside its destination, marked as alive by an OS lock on it (so the start-up
    clean-up of another process never deletes it), removed with SQLite's companions on exit."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.path = _temp_path(folder, suffix)
        self._fd: int | None = None

    def __enter__(self) -> _TempFile:
        fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR | getattr(os, "O_BINARY", 0), 0o644)
        if _hold(fd):
            self._fd = fd
        else:  # Windows: no flock; an open file cannot be deleted (or renamed over) there anyway
            os.close(fd)
        return self

    def release(self) -> None:
        """Stop marking the file alive. Call before anything else may open it through SQLite (closing
        a descriptor drops the POSIX locks SQLite holds on the same file in this process)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __exit__(self, *_exc: object) -> None:
        for p in (self.path, *_companions(self.path)):
            with contextlib.suppress(OSError):
                p.unlink()
        self.release()  # after SQLite closed the file: no POSIX lock of ours is dropped


def _hold(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:
        return False
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return True


def _abandoned(path: Path) -> bool:
    """A temporary file no live process holds (its maker was killed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be deleted, so trying to is the test
        os.close(fd)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def clean_stray_files(data_path: Path, *folders: Path) -> list[Path]:
    """Remove what killed restores and backups left beside the data file and in the backup folders:
    ``.jxc-*.restoring`` / ``.jxc-*.partial`` (and the older ``<name>.restoring`` / ``*.partial``),
    with their ``-journal``/``-wal``/``-shm``. A file still held by a running restore or backup is
    left alone. Returns the removed paths."""
    data_path = Path(data_path)
    places = {data_path.parent, default_backup_dir(data_path), *map(Path, folders)}
    removed: list[Path] = []
    for folder in places:
        if not folder.is_dir():
            continue
        found = [*folder.glob(f"{TEMP_PREFIX}*{RESTORING}"), *folder.glob(f"{TEMP_PREFIX}*{PARTIAL}"),
                 *folder.glob(f"*{SUFFIX}{PARTIAL}"), data_path.with_name(data_path.name + RESTORING)]
        for path in found:
            try:
                candidate = path.parent == folder and path.is_file()
            except OSError:  # e.g. the old-style name would be too long
                continue
            if candidate and _abandoned(path):
                for p in (*_companions(path), path):
                    with contextlib.suppress(OSError):
                        p.unlink()
                shutil.rmtree(path.with_name(path.name + UPGRADING), ignore_errors=True)
                removed.append(path)
        for scratch in folder.glob(f"{TEMP_PREFIX}*{RESTORING}{UPGRADING}"):
            if not scratch.with_name(scratch.name.removesuffix(UPGRADING)).exists():  # its restore is gone
                shutil.rmtree(scratch, ignore_errors=True)
                removed.append(scratch)
    return removed


def _claim(partial: Path, target: Path, *, numbered: bool) -> Path:
    """Give the finished ``partial`` its final name without ever replacing a file: ``target`` or,
    when ``numbered``, the first free ``target-n`` (several copies in one second, several processes
    at once). ``os.link`` fails when the name is taken, atomically; where the file system has no hard
    links (a FAT USB stick) the name is checked first."""
    for candidate in _candidates(target) if numbered else [target]:
        try:
            os.link(partial, candidate)
        except FileExistsError:
            continue
        except OSError:
            if candidate.exists():
                continue
            os.replace(partial, candidate)
            return candidate
        partial.unlink()
        return candidate
    raise StateError("{path} already exists; choose another name.", path=str(target))


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


def _backup_into(src: Path, path: Path, progress: Progress | None = None) -> None:
    """Online backup of ``src`` into the new (empty) file ``path``, made a single self-contained file
    and checked (``integrity_check`` and a complete schema). Raises DamagedFileError when the copy
    shows the source is damaged, StateError when ``progress`` cancelled."""
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


def _copy_database(src: Path, dest: Path, progress: Progress | None = None, *, numbered: bool = False) -> Path:
    """A checked copy of ``src`` as the new file ``dest`` (or, ``numbered``, the first free
    ``dest-n``), made in a temporary file and given its name only when complete. Raises DatabaseError
    (DamagedFileError when the source is damaged) and leaves no partial file. Returns the file."""
    try:
        with _TempFile(dest.parent, PARTIAL) as tmp:
            _backup_into(src, tmp.path, progress)
            written = _claim(tmp.path, dest, numbered=numbered)
        _fsync_dir(dest.parent)
        return written
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError("Could not write the backup to {path}: {reason}", path=str(dest),
                            reason=str(exc)) from exc


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
        con = sqlite3.connect(sqlite_uri(path), uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check(5)")] if thorough else ["ok"]
            if rows != ["ok"]:
                problem = DatabaseError("The database file {path} is damaged ({reason}).", path=str(path),
                                        reason="; ".join(map(str, rows))[:200]).message
                return BackupInfo(path, made, size, False, problem, check.revision)
            products = con.execute("SELECT count(*) FROM product").fetchone()[0]
            sales, last = con.execute("SELECT count(*), max(created_at) FROM sale WHERE kind = 'sale'").fetchone()
            shop = con.execute("SELECT value FROM setting WHERE key = ?", (SHOP_ID_KEY,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        problem = DatabaseError("The database file {path} is damaged ({reason}).", path=str(path),
                                reason=str(exc)).message
        return BackupInfo(path, made, size, False, problem, check.revision)
    last_at = datetime.fromisoformat(last).replace(tzinfo=UTC) if last else None
    return BackupInfo(path, made, size, True, "", check.revision, int(products), int(sales), last_at,
                      str(shop[0]) if shop and shop[0] else "")


def list_backups(folder: Path) -> list[Path]:
    """Backup files in a folder, newest first (by the time in their names)."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob(f"*{SUFFIX}") if p.is_file()]

    def key(p: Path) -> tuple[datetime, int]:  # copies made within one second: the file time decides
        return time_of(p) or datetime.min.replace(tzinfo=UTC), p.stat().st_mtime_ns

    return sorted(files, key=key, reverse=True)


def find_newest_good_backup(folder: Path, data_path: Path | None = None, shop_id: str = "") -> BackupInfo | None:
    """The newest copy in ``folder`` that passes its checks (damaged copies are skipped); with
    ``data_path``, only that shop's copies (by ``shop_id``, else by name: another shop's newest
    copy in a shared folder is never offered)."""
    for path in list_backups(folder):
        m = _NAME_RE.match(path.name)
        if m and m.group("kind") == "damaged":
            continue
        if data_path is not None and not belongs(shop_id_of(path), shop_id, data_path, path):
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
            target = _copy_database(self.data_path, target, progress, numbered=folder_given)
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
            if m and m.group("kind") in ("auto", "backup") and p.stat().st_size > 0 and self.is_ours(p):
                t = time_of(p)
                if t is not None:
                    times.append(t)
                break
        return max(times) if times else None

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


def _save_current(data_path: Path, folder: Path, now: datetime, check: FileCheck) -> Path | None:
    """Keep the file about to be replaced: a checked online copy if healthy, else its raw bytes
    (with its write-ahead log). Called under the exclusive use lock, so nothing is committed after."""
    if check.state in (FileState.MISSING,) or (check.state == FileState.EMPTY and check.reason == "0 bytes"):
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError("Could not keep a copy of the current file in {path}: {reason}",
                            path=str(folder), reason=exc.strerror or str(exc)) from exc
    if check.holds_data or check.state == FileState.EMPTY:
        try:
            return _copy_database(data_path, folder / backup_name(data_path, "before-restore", now), numbered=True)
        except DamagedFileError:
            pass  # damage quick_check did not see: keep its bytes as they are
    dest = folder / backup_name(data_path, "damaged", now)
    try:
        with _TempFile(folder, PARTIAL) as tmp:
            shutil.copyfile(data_path, tmp.path)
            wal = data_path.with_name(data_path.name + "-wal")
            with tmp.path.open("rb") as fh:
                os.fsync(fh.fileno())
            dest = _claim(tmp.path, dest, numbered=True)
            if wal.exists():
                shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
        _fsync_dir(folder)
    except OSError as exc:
        raise DatabaseError("Could not keep a copy of the current file in {path}: {reason}",
                            path=str(folder), reason=exc.strerror or str(exc)) from exc
    return dest


def _retire_current(data_path: Path, check: FileCheck) -> None:
    """Before the rename: fold the write-ahead log of a healthy current file into it, then remove its
    ``-wal``/``-shm``/``-journal`` — left beside the new file they would be read as its own. Refused
    (nothing changed) when another program still reads the log."""
    wal = data_path.with_name(data_path.name + "-wal")
    if check.holds_data and wal.exists() and wal.stat().st_size:
        con = sqlite3.connect(sqlite_uri(data_path, mode="rw"), uri=True, timeout=2)
        try:
            busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as exc:
            raise DatabaseError("The database is busy (another program is using it). Try again.") from exc
        finally:
            con.close()
        if busy:
            raise DatabaseError("The database is in use by another program; close it before restoring.")
    for side in _companions(data_path):
        side.unlink(missing_ok=True)


def _upgrade_copy(path: Path) -> str | None:
    """Bring the copy to this program's schema; returns the revision it came from (None: current).
    migrate's own before-upgrade copy goes to a scratch folder named after the copy (removed after;
    a killed restore's is removed by :func:`clean_stray_files`)."""
    if check_file(path).state != FileState.OLDER:
        return None
    scratch = path.with_name(path.name + UPGRADING)
    try:
        result = migrate(path, backup_dir=scratch)
    except DatabaseError as exc:
        cause = getattr(exc.__cause__, "orig", None) or exc.__cause__ or exc  # SQLite's words, not SQLAlchemy's
        reason = " ".join(str(cause).splitlines()[:1]) or exc.message
        raise DatabaseError("This backup cannot be restored: upgrading it to this version failed ({reason}). "
                            "The data file was not changed.", reason=reason) from exc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result.upgraded_from


def _record_restore(path: Path, source: Path, saved: Path | None, info: BackupInfo, now: datetime) -> None:
    """The restore's audit row, written into the new file before it is swapped in (so it cannot be
    missing from a completed restore)."""
    db = Database.for_file(path)
    try:
        with db.write() as uow:
            audit.record(uow.session, audit.RESTORE, document=source.name[:40],
                         before=str(saved) if saved else "", after=str(source),
                         detail={"made_at": info.made_at.isoformat() if info.made_at else "",
                                 "products": info.products, "sales": info.sales}, at=now)
            uow.commit()
    finally:
        db.dispose()
    con = sqlite3.connect(path)  # one self-contained file before the rename (no -wal beside it)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def restore_file(source: Path, data_path: Path, folder: Path, *, now: datetime | None = None) -> RestoreResult:
    """Check ``source``, prepare it beside ``data_path``, keep the current file in ``folder``, then
    rename the prepared copy over the data file (see the module's description)."""
    now = now or utcnow()
    # The real file: restoring through a symbolic link replaces its target, not the link.
    source, data_path = Path(source), Path(os.path.realpath(data_path))
    check_name(data_path)
    info = describe(source)
    if not info.ok:
        raise DatabaseError("This backup cannot be restored: {reason}", reason=info.problem)
    if _same_file(source, data_path):
        raise StateError("That is the data file itself; choose a backup copy.")
    try:
        data_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError("Could not write the backup to {path}: {reason}", path=str(data_path),
                            reason=exc.strerror or str(exc)) from exc
    clean_stray_files(data_path, folder)
    with _TempFile(data_path.parent, RESTORING) as incoming:
        try:
            _backup_into(source, incoming.path)  # checked again: the file may have changed since describe()
        except DamagedFileError as exc:
            raise DatabaseError("This backup cannot be restored: {reason}", reason=exc.message) from exc
        except (sqlite3.Error, OSError) as exc:
            raise DatabaseError("Could not copy the backup beside the data file: {reason}", reason=str(exc)) from exc
        upgraded_from = _upgrade_copy(incoming.path)
        with filelock.exclusive(data_path) as lock:  # refused while a window or a writer has the file
            current = check_file(data_path)
            saved = _save_current(data_path, folder, now, current)
            _record_restore(incoming.path, source, saved, info, now)
            with incoming.path.open("rb") as fh:
                os.fsync(fh.fileno())
            lock.prepare(incoming.path)
            _retire_current(data_path, current)
            lock.before_replace()
            try:
                os.replace(incoming.path, data_path)
            except OSError as exc:  # e.g. Windows: another program holds the data file open
                raise DatabaseError("{path} is in use: JXC Desktop is open on it, or another program is reading "
                                    "or writing it. Close it and try again.", path=str(data_path)) from exc
            _fsync_dir(data_path.parent)
            incoming.release()  # it is the data file now: before anyone may open it
            lock.swapped()
    return RestoreResult(source, saved, upgraded_from)
