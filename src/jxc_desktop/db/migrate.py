"""Bring a database file to the latest schema, safely.

Before an upgrade the file is copied aside with SQLite's online backup API; a failed upgrade
puts the copy back. A file that is damaged, foreign or newer than this program is refused.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.paths import migrations_dir

CORE_TABLES = {"product", "stock_move", "sale"}


@dataclass(frozen=True)
class MigrationResult:
    path: Path
    revision: str
    created: bool
    upgraded_from: str | None
    backup: Path | None


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def backup_file(src: Path, dest: Path) -> Path:
    """Copy a live SQLite file with the online backup API (consistent even mid-write)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as source, sqlite3.connect(dest) as target:
        source.backup(target)
    return dest


def inspect_file(path: Path) -> tuple[str | None, set[str]]:
    """Current alembic revision and table names, refusing files that are not SQLite or damaged."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError("Cannot open {path}: {reason}", path=str(path), reason=str(exc)) from exc
    try:
        check = con.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise DatabaseError("The database file {path} is damaged ({reason}). Restore a backup.",
                                path=str(path), reason=str(check[0] if check else "?"))
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError("{path} is not a JXC database file ({reason}).", path=str(path),
                            reason=str(exc)) from exc
    finally:
        con.close()
    return revision, tables


def migrate(path: Path, *, backup_dir: Path | None = None) -> MigrationResult:
    """Create ``path`` if missing, else upgrade it to head. Raises DatabaseError with a clear reason."""
    path = Path(path)
    url = f"sqlite:///{path}"
    head = head_revision()
    created = not path.exists() or path.stat().st_size == 0
    current: str | None = None
    backup: Path | None = None
    if not created:
        current, tables = inspect_file(path)
        if current is None and tables - {"sqlite_sequence"}:
            raise DatabaseError("{path} is not a JXC database file (it holds other tables).", path=str(path))
        if current is not None and current not in known_revisions():
            raise DatabaseError(
                "{path} was written by a newer version of JXC Desktop (schema {revision}). "
                "Install the newer version to open it.", path=str(path), revision=current)
        if current == head:
            return MigrationResult(path, head, False, None, None)
        if current is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            folder = backup_dir or path.parent / "backups"
            backup = backup_file(path, folder / f"{path.stem}-before-upgrade-{stamp}.sqlite3")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    except Exception as exc:
        engine.dispose()
        if backup is not None:
            _restore(backup, path)
            raise DatabaseError("Upgrading the database failed and it was put back as it was: {reason}",
                                reason=str(exc)) from exc
        raise DatabaseError("Creating the database failed: {reason}", reason=str(exc)) from exc
    finally:
        engine.dispose()
    return MigrationResult(path, head, created, current, backup)


def _restore(backup: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    shutil.copyfile(backup, path)


def current_revision(url: str) -> str | None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
