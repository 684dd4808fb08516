"""Backup copies as files: their names, which shop each belongs to, what one holds, which to keep.

A copy's name carries its local time: ``<stem>-auto-20261125-083000.sqlite3`` (``auto`` the daily
copy, ``backup`` one asked for, ``before-restore`` / ``damaged`` the file a restore replaced,
``before-upgrade`` the file an upgrade changed). Automatic copies are rotated: the newest copy of
each of the last 7 days that have one, and of each of the last 12 months, are kept; manual copies
and the copies taken before a restore are never deleted by the program.

Each shop file carries a random id (``sys.shop_id``) that every copy of it carries too, so copies
of several shops in one folder are told apart; a copy older than shop ids belongs by its name.
Making and checking the copies themselves is storage work (db/backup_copy.py).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from jxc_desktop.db.backup_copy import read_contents, read_setting
from jxc_desktop.db.filecheck import check_file
from jxc_desktop.db.tempfiles import SUFFIX
from jxc_desktop.db.uri import MAX_NAME_BYTES, short_name
from jxc_desktop.domain.errors import DatabaseError

# The folder and the clean-up of every open live in a lighter module (backup_place.py); named
# here too, for the code that works on the copies.
from jxc_desktop.services.safety.backup_place import BACKUP_DIR_KEY as BACKUP_DIR_KEY
from jxc_desktop.services.safety.backup_place import backup_folder as backup_folder
from jxc_desktop.services.safety.backup_place import clean_stray_files as clean_stray_files
from jxc_desktop.services.safety.backup_place import default_backup_dir as default_backup_dir

LAST_BACKUP_KEY = "sys.last_backup_at"  # internal: ISO UTC time of the last good backup
SHOP_ID_KEY = "sys.shop_id"  # internal: a random id given to a shop file once; every copy carries it
KEEP_DAILY = 7
KEEP_MONTHLY = 12
_STAMP = "%Y%m%d-%H%M%S"
NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<kind>auto|backup|before-restore|damaged|before-upgrade)-"
                     r"(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


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


def stamp(moment: datetime) -> str:
    """A moment as local time for a file name."""
    return moment.astimezone().strftime(_STAMP)


def time_of(path: Path) -> datetime | None:
    """When a backup was made: the local time in its name, else the file's modification time."""
    m = NAME_RE.match(path.name)
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
    return read_setting(path, SHOP_ID_KEY)


def same_file_name(data_path: Path, copy: Path) -> bool:
    """Whether a copy's name says it was made from a file named like ``data_path`` (the only sign
    of ownership for copies made before shop ids, and for a data file that is lost or damaged)."""
    m = NAME_RE.match(copy.name)
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


def describe(path: Path | str, *, thorough: bool = True) -> BackupInfo:
    """Check a backup file and count what it holds (read-only). ``thorough`` runs the full
    ``integrity_check`` (seconds on a big file); otherwise only the start-up inspection (header, id,
    revision, schema: db/filecheck.py)."""
    path = Path(path)
    check = check_file(path)
    made = time_of(path) if path.exists() else None
    size = path.stat().st_size if path.is_file() else 0
    if not check.holds_data:
        err = check.error()
        problem = err.message if err else DatabaseError("{path} holds no shop data.", path=str(path)).message
        return BackupInfo(path, made, size, False, problem, check.revision)
    found = read_contents(path, SHOP_ID_KEY, thorough=thorough)
    if found.problem:
        return BackupInfo(path, made, size, False, found.problem, check.revision)
    last_at = datetime.fromisoformat(found.last_sale_at).replace(tzinfo=UTC) if found.last_sale_at else None
    return BackupInfo(path, made, size, True, "", check.revision, found.products, found.sales, last_at, found.setting)


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
        m = NAME_RE.match(path.name)
        if m and m.group("kind") == "damaged":
            continue
        if data_path is not None and not belongs(shop_id_of(path), shop_id, data_path, path):
            continue
        info = describe(path)
        if info.ok:
            return info
    return None


def last_good_time(recorded: str | None, folder: Path, shop_id: str, data_path: Path) -> datetime | None:
    """The newest of: the time a shop file recorded for its last good backup (``recorded``, ISO),
    and the time in the name of this shop's newest non-empty copy in ``folder`` (a copy made by
    hand or by another program counts; one of another shop does not)."""
    times: list[datetime] = []
    if recorded:
        with contextlib.suppress(ValueError):
            times.append(datetime.fromisoformat(recorded))
    for p in list_backups(folder):
        m = NAME_RE.match(p.name)
        if m and m.group("kind") in ("auto", "backup") and p.stat().st_size > 0 and \
                belongs(shop_id_of(p), shop_id, data_path, p):
            t = time_of(p)
            if t is not None:
                times.append(t)
            break
    return max(times) if times else None


def rotation_keep(paths: list[Path], when: Callable[[Path], datetime | None] | None = None) -> set[Path]:
    """Of automatic copies: the newest of each of the last 7 days and of the last 12 months.
    ``when`` dates a copy (default: the time in a file copy's name, :func:`time_of`)."""
    dated = [((when or time_of)(p), p) for p in paths]
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

