"""Bring a database file to the latest schema, safely.

Before an upgrade the file is copied aside with SQLite's online backup API; a failed upgrade
puts the copy back. A file that is damaged, foreign or newer than this program is refused.
"""

from __future__ import annotations

import ast
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db.uri import alembic_option, sqlite_uri, sqlite_url
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

# alembic is imported only when a file must be created or upgraded: importing it costs ~0.3 s of
# the window's cold start, and opening a file already at head needs only the revision ids below.

CORE_TABLES = {"product", "stock_move", "sale"}


def __getattr__(name: str) -> object:
    """``migrate.command`` (alembic.command), imported on first use."""
    if name == "command":
        from alembic import command

        return command
    raise AttributeError(name)


@dataclass(frozen=True)
class MigrationResult:
    path: Path
    revision: str
    created: bool
    upgraded_from: str | None
    backup: Path | None


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", alembic_option(str(migrations_dir())))
    cfg.set_main_option("sqlalchemy.url", alembic_option(url))
    return cfg


def revision_graph() -> dict[str, tuple[str, ...]]:
    """``revision -> down revisions`` read from migrations/versions/*.py without importing alembic
    (tests/integration/test_migrate_fast_path.py checks it against alembic's own reading)."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.target if isinstance(node, ast.AnnAssign) else (
                node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value:
                values[target.id] = ast.literal_eval(node.value)
        rev, down = values.get("revision"), values.get("down_revision")
        if isinstance(rev, str):
            graph[rev] = tuple(down) if isinstance(down, tuple | list) else ((down,) if down else ())
    return graph


def head_revision() -> str:
    graph = revision_graph()
    heads = set(graph) - {d for downs in graph.values() for d in downs}
    if len(heads) != 1:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
        assert head is not None
        return head
    return heads.pop()


def known_revisions() -> set[str]:
    graph = revision_graph()
    if graph:
        return set(graph)
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}


def backup_file(src: Path, dest: Path) -> Path:
    """Copy a live SQLite file with the online backup API (consistent even mid-write)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(sqlite_uri(src), uri=True) as source, sqlite3.connect(dest) as target:
        source.backup(target)
    return dest


def inspect_file(path: Path) -> tuple[str | None, set[str]]:
    """Current alembic revision and table names, refusing files that are not SQLite or damaged."""
    try:
        con = sqlite3.connect(sqlite_uri(path), uri=True)
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
    url = sqlite_url(path)
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
            stamp = utcnow().strftime("%Y%m%d-%H%M%S")
            folder = backup_dir or path.parent / "backups"
            backup = backup_file(path, folder / f"{path.stem}-before-upgrade-{stamp}.sqlite3")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            from alembic import command

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
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
