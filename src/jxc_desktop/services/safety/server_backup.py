"""Backups of a shop on a PostgreSQL server: the same policy as a shop file's (services/safety/backup.py:
when a copy is due, 7 daily and 12 monthly automatic copies kept, checked before it gets its name,
the last good backup noted in the shop), made with ``pg_dump -Fc`` instead of SQLite's backup API.

A copy is checked the way a file copy is: restored into a scratch database on the same server
(db/pg_dump.py), the books check (``jxc check``) run there, the scratch database dropped; only a copy
that passes is renamed from ``.partial`` to ``<database>-<kind>-<local time>.dump``. A restore checks
the chosen copy the same way first, keeps the current database as a ``before-restore`` copy, then
replaces the shop in one transaction (``pg_restore --clean --single-transaction``): a failure leaves
the database as it was.

:func:`backup_choice.backup_service` is the choice point: a shop file gets BackupService, a server
shop this.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from jxc_desktop.db import pg_dump
from jxc_desktop.db.models import Product, Sale, Setting
from jxc_desktop.db.server import driver_url
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DatabaseError, StateError
from jxc_desktop.paths import data_dir
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.backup import BackupService, Progress
from jxc_desktop.services.safety.backup_files import BACKUP_DIR_KEY, BackupInfo, rotation_keep, stamp
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.safety.restore import RestoreResult

DUMP_SUFFIX = ".dump"
DUMP_RE = re.compile(r"^(?P<stem>.+)-(?P<kind>auto|backup|before-restore)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.dump$")
_STAMP = "%Y%m%d-%H%M%S"


def dump_time(path: Path) -> datetime | None:
    m = DUMP_RE.match(path.name)
    if m is None:
        return None
    with contextlib.suppress(ValueError):
        return datetime.strptime(m.group("stamp"), _STAMP).astimezone()
    return None


def list_dumps(folder: Path) -> list[Path]:
    """The server copies in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    dated = [(t, p) for p in folder.glob(f"*{DUMP_SUFFIX}") if (t := dump_time(p)) is not None]
    return [p for _t, p in sorted(dated, key=lambda tp: (tp[0], tp[1].name), reverse=True)]


@dataclass(frozen=True)
class DumpCheck:
    problems: list[str]  # [] = a good copy
    products: int = 0
    sales: int = 0
    last_sale_at: datetime | None = None


def check_dump(url: str, archive: Path) -> DumpCheck:
    """Restore ``archive`` into a scratch database beside ``url``, run the books check there and
    count what the copy holds (for the owner: products, sales, the last sale)."""
    with pg_dump.scratch_database(url) as scratch:
        pg_dump.restore(scratch, archive)
        db = Database.for_server(scratch)
        try:
            report = run_check(db, full=False)
            with db.read() as uow:
                products = uow.session.scalar(select(func.count(Product.id)))
                sales, last = uow.session.execute(
                    select(func.count(Sale.id), func.max(Sale.created_at)).where(Sale.kind == "sale")).one()
        finally:
            db.dispose()
    return DumpCheck([f"{p.kind} [{p.where}]: {p.detail}" for p in report.problems], int(products or 0),
                     int(sales or 0), last)


class ServerBackupService(BackupService):
    """BackupService for a shop on a server: copies are pg_dump archives in a folder of this PC."""

    def __init__(self, db: Database, url: str | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(db, None, clock)
        self.url = url or db.engine.url.render_as_string(hide_password=False)

    @property
    def data_path(self) -> Path:  # a name for messages and copies: there is no file
        return Path(self.stem)

    @property
    def stem(self) -> str:
        return make_url(driver_url(self.url)).database or "jxc"

    def backup_dir(self) -> Path:
        with self.db.read() as uow:
            chosen = (uow.session.scalar(select(Setting.value).where(Setting.key == BACKUP_DIR_KEY)) or "").strip()
        return Path(chosen).expanduser() if chosen else data_dir() / "server-backups"

    def is_ours(self, copy: Path, copy_id: str | None = None) -> bool:
        m = DUMP_RE.match(copy.name)
        return m is not None and m.group("stem") == self.stem

    def _name(self, kind: str, moment: datetime, n: int = 0) -> str:
        return f"{self.stem}-{kind}-{stamp(moment)}{f'-{n}' if n else ''}{DUMP_SUFFIX}"

    def backup(self, dest: Path | str | None = None, *, progress: Progress | None = None,
               kind: str = "backup") -> BackupInfo:
        """A checked pg_dump archive. ``dest`` a folder, a file name, or None for the backup folder."""
        now = self.clock()
        folder_given = dest is None or Path(dest).is_dir() or not Path(dest).suffix
        target = (self.backup_dir() if dest is None else Path(dest).expanduser() if folder_given else None)
        target = target / self._name(kind, now) if target is not None else Path(dest).expanduser()  # type: ignore[arg-type]
        if not folder_given and target.exists():
            raise StateError("{path} already exists; choose another name.", path=str(target))
        with contextlib.suppress(DatabaseError):
            self.shop_id()  # the copy carries the shop's identity
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError("Could not write the backup to {path}: {reason}", path=str(target),
                                reason=exc.strerror or str(exc)) from exc
        partial = target.with_name(f".{target.name}.partial")
        try:
            if progress is not None and progress(0, 3) is False:
                raise StateError("The backup was cancelled; nothing was written.")
            pg_dump.dump(self.url, partial)
            if progress is not None and progress(1, 3) is False:
                raise StateError("The backup was cancelled; nothing was written.")
            checked = check_dump(self.url, partial)
            if checked.problems:
                raise DatabaseError("The copy of {url} failed its check, so no backup was made: {reason}",
                                    url=self.stem, reason="; ".join(checked.problems[:3]))
            n = 0
            while folder_given and target.exists():  # two copies in one second: a numbered name
                n += 1
                target = target.with_name(self._name(kind, now, n))
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        if progress is not None:
            progress(3, 3)
        self._note_good_backup(now, target, kind)
        return replace(self._info(target, ok=True), products=checked.products, sales=checked.sales,
                       last_sale_at=checked.last_sale_at)

    def _info(self, path: Path, *, ok: bool | None = None) -> BackupInfo:
        good = pg_dump.archive_ok(path) if ok is None else ok
        size = path.stat().st_size if path.is_file() else 0
        return BackupInfo(path, dump_time(path), size, good, "" if good else "not a readable pg_dump archive")

    def copies(self) -> list[BackupInfo]:
        """This shop's copies in the backup folder, newest first (each archive's contents listed)."""
        return [self._info(p) for p in list_dumps(self.backup_dir()) if self.is_ours(p)]

    def _auto_files(self) -> list[Path]:
        prefix = f"{self.stem}-auto-"
        return [p for p in list_dumps(self.backup_dir()) if p.name.startswith(prefix)]

    def rotate(self) -> list[Path]:
        files = self._auto_files()
        keep = rotation_keep(files, dump_time)
        removed = [p for p in files if p not in keep]
        for p in removed:
            p.unlink(missing_ok=True)
        return removed

    def last_good_backup(self) -> datetime | None:
        times: list[datetime] = []
        with self.db.read() as uow:
            row = uow.session.scalar(select(Setting.value).where(Setting.key == "sys.last_backup_at"))
        if row:
            with contextlib.suppress(ValueError):
                times.append(datetime.fromisoformat(row))
        for p in list_dumps(self.backup_dir()):
            if self.is_ours(p) and DUMP_RE.match(p.name).group("kind") != "before-restore":  # type: ignore[union-attr]
                t = dump_time(p)
                if t is not None:
                    times.append(t)
                break
        return max(times) if times else None

    def newest_good_backup(self) -> BackupInfo | None:
        for p in list_dumps(self.backup_dir()):
            if self.is_ours(p):
                info = self._info(p)
                if info.ok:
                    return info
        return None

    def restore(self, source: Path | str, *, other_shop: bool = False) -> RestoreResult:
        """Replace the shop on the server by a checked pg_dump archive, the current shop kept first."""
        source = Path(source).expanduser()
        if not source.is_file() or not pg_dump.archive_ok(source):
            raise DatabaseError("{path} is not a backup of a server database (a pg_dump archive).", path=str(source))
        problems = check_dump(self.url, source).problems
        if problems:
            raise DatabaseError("This backup cannot be restored: {reason}", reason="; ".join(problems[:3]))
        now = self.clock()
        saved = self.backup(kind="before-restore").path
        self.db.dispose()
        pg_dump.restore(self.url, source, clean=True)
        with self.db.write() as uow:
            audit.record(uow.session, audit.RESTORE, document=source.name, before=str(saved), after=str(source),
                         at=now)
            uow.commit()
        return RestoreResult(source, saved, None)

