"""Restore a backup (a use case): replace the data file by a checked copy, losing nothing.

:func:`restore_file` never touches the data file until the new one is ready: it copies the chosen
backup beside the data file (``.jxc-….restoring``), checks it, upgrades it if it came from an older
version and writes the restore's audit row into it. Only then does it take the data file's
exclusive use lock (:mod:`jxc_desktop.db.filelock`: refused while a window is open on the file or
another program is using it), keep the current file in the backup folder (a checked copy, or its
raw bytes when it is damaged — nothing is ever lost, and nothing can be committed after this
copy), fold and remove its ``-wal``/``-shm``, and rename the new file over it. At every moment the
data file is either the old one or the new one, whole; a restore killed half-way leaves only its
temporary file, which the next start removes (backup_files.clean_stray_files).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jxc_desktop.db import filelock
from jxc_desktop.db.backup_copy import backup_into, copy_database, copy_raw, make_self_contained, retire_wal
from jxc_desktop.db.filecheck import FileCheck, FileState, check_file
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.tempfiles import RESTORING, UPGRADING, TempFile, fsync_dir
from jxc_desktop.db.uow import Database
from jxc_desktop.db.uri import check_name
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DamagedFileError, DatabaseError, StateError
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.backup_files import BackupInfo, backup_name, clean_stray_files, describe


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    saved_current: Path | None  # where the replaced file was kept
    upgraded_from: str | None


def _save_current(data_path: Path, folder: Path, now: datetime, check: FileCheck) -> Path | None:
    """Keep the file about to be replaced: a checked online copy if healthy, else its raw bytes
    (with its write-ahead log). Called under the exclusive use lock, so nothing is committed after."""
    if check.lost:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError("Could not keep a copy of the current file in {path}: {reason}",
                            path=str(folder), reason=exc.strerror or str(exc)) from exc
    if check.holds_data or check.state == FileState.EMPTY:
        try:
            return copy_database(data_path, folder / backup_name(data_path, "before-restore", now), numbered=True)
        except DamagedFileError:
            pass  # damage the start-up inspection did not see: keep its bytes as they are
    try:
        return copy_raw(data_path, folder / backup_name(data_path, "damaged", now))
    except OSError as exc:
        raise DatabaseError("Could not keep a copy of the current file in {path}: {reason}",
                            path=str(folder), reason=exc.strerror or str(exc)) from exc


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
    make_self_contained(path)  # before the rename: no -wal beside it


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
    with TempFile(data_path.parent, RESTORING) as incoming:
        try:
            backup_into(source, incoming.path)  # checked again: the file may have changed since describe()
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
            retire_wal(data_path, holds_data=current.holds_data)
            lock.before_replace()
            try:
                os.replace(incoming.path, data_path)
            except OSError as exc:  # e.g. Windows: another program holds the data file open
                raise DatabaseError("{path} is in use: JXC Desktop is open on it, or another program is reading "
                                    "or writing it. Close it and try again.", path=str(data_path)) from exc
            fsync_dir(data_path.parent)
            incoming.release()  # it is the data file now: before anyone may open it
            lock.swapped()
    return RestoreResult(source, saved, upgraded_from)

