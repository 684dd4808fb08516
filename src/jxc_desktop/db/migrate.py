"""Bring a database file to the latest schema, all or nothing.

The file is first looked at by reading only (db/fileprobe.py): another program's file — even one
whose alembic revision ids look like ours — a damaged one or a newer one is refused before anything
writes to it, not even WAL mode.

Creating and upgrading run every migration inside ONE SQLite transaction: ``BEGIN IMMEDIATE`` on a
connection whose driver-level implicit transactions are off (pysqlite would otherwise commit before
each DDL statement), so alembic finds the connection already in a transaction, treats it as
external and never commits on its own. The application id is set in that same transaction. A kill,
a full disk or a failing migration therefore leaves the file exactly as it was, and the next start
does the whole job again. WAL mode is switched on after the commit (it cannot change inside a
transaction).

Before an upgrade, while the write lock is held, the file is copied aside (db/upgrade_copy.py).
"""

from __future__ import annotations

import ast
import functools
import glob
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jxc_desktop.db import damage_mark, fileprobe
from jxc_desktop.db.fileprobe import APPLICATION_ID, CORE_TABLES, FileState
from jxc_desktop.db.upgrade_copy import before_upgrade_copy, fsync, refusal
from jxc_desktop.db.uri import alembic_option
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

__all__ = ["APPLICATION_ID", "CORE_TABLES", "MigrationResult", "create_beside", "migrate"]

BUSY_TIMEOUT_S = 4.0
BUILDING = ".building"
T = TypeVar("T")

# alembic and SQLAlchemy are imported only when a file must be created, upgraded or stamped:
# importing alembic costs ~0.3 s of the window's cold start, SQLAlchemy ~0.2 s of a command's, and
# opening a file already at head needs only sqlite3 and the revision ids below (issue 15).


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


# ``revision: str = '0021'`` / ``down_revision: str | None = '0019'`` at the start of a line
_ASSIGNED = re.compile(r"^(revision|down_revision)\b[^=\n]*=([^\n#]*)", re.MULTILINE)


def revision_graph() -> dict[str, tuple[str, ...]]:
    """``revision -> down revisions`` read from migrations/versions/*.py without importing alembic
    (tests/integration/test_migrate_fast_path.py checks it against alembic's own reading)."""
    return dict(_revision_graph())


@functools.cache
def _revision_graph() -> dict[str, tuple[str, ...]]:
    """Read once per process (every open asks for the head and the known revisions)."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        values = _assignments(source)
        rev, down = values.get("revision"), values.get("down_revision")
        if isinstance(rev, str):
            graph[rev] = tuple(down) if isinstance(down, tuple | list) else ((down,) if down else ())
    return graph


def _assignments(source: str) -> dict[str, object]:
    """The module-level ``revision`` and ``down_revision`` of a migration: its two lines read as
    literals (parsing the whole file is most of an open's fixed cost); the whole file's syntax tree
    when a value spans lines or is written another way."""
    values: dict[str, object] = {}
    try:
        for name, value in _ASSIGNED.findall(source):
            values.setdefault(name, ast.literal_eval(value.strip()))
    except (ValueError, SyntaxError):
        values = {}
    if "revision" in values and "down_revision" in values:
        return values
    values = {}
    for node in ast.parse(source).body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value:
            values[target.id] = ast.literal_eval(node.value)
    return values


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


def short_reason(exc: BaseException) -> str:
    """The first line of an error: SQLAlchemy's wrapper adds the SQL, parameters and a web link."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def probe(path: Path) -> fileprobe.Probe:
    """What ``path`` is, read-only (see db/fileprobe.py), judged against this program's revisions."""
    return fileprobe.probe(path, known=known_revisions(), head=head_revision())


def migrate(path: Path, *, backup_dir: Path | None = None, create: bool = True) -> MigrationResult:
    """Create ``path`` if missing or empty (only when ``create``), else upgrade it to head.

    Raises DatabaseError with a one-line reason; after any failure — or a kill — the file is as it was.
    """
    path = Path(path)
    head = head_revision()
    found = probe(path)
    refused = fileprobe.refusal(found, create=create)
    if refused is not None:
        raise refused
    if found.state in (FileState.OK, FileState.OLDER) and fileprobe.has_hot_journal(path) \
            and fileprobe.writable(path):
        _recover(path)  # our file (probed on a recovered copy): let SQLite roll the write back here too
    recorded = damage_mark.recorded(path) if found.state in (FileState.OK, FileState.OLDER) else None
    if recorded is not None:
        if found.state == FileState.OLDER:  # an upgrade writes: refused like any write (db/damage_mark.py)
            err = fileprobe.refusal(fileprobe.Probe(path, FileState.DAMAGED, found.revision, recorded))
            assert err is not None
            raise err
        return MigrationResult(path, head, False, None, None)  # read as it is; the Database refuses writes
    if found.state == FileState.OK:
        if not found.stamped and fileprobe.writable(path):
            _stamp_quietly(path, head)
        return MigrationResult(path, head, False, None, None)
    created = found.state in (FileState.MISSING, FileState.EMPTY)
    existed = found.state != FileState.MISSING
    if not existed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError("Cannot create the folder {folder}: {reason}", folder=str(path.parent),
                                reason=exc.strerror or str(exc)) from exc
    if not fileprobe.writable(path):
        raise fileprobe.read_only_error(path)
    folder = backup_dir or path.parent / "backups"
    try:
        backup = _run_migrations(path, expected=found.revision, head=head, backup_folder=None if created else folder)
    except DatabaseError:
        if not existed:
            _remove_if_empty(path)
        raise
    except Exception as exc:
        if not existed:
            _remove_if_empty(path)
        if created:
            raise DatabaseError("Creating the database failed and nothing was written: {reason}",
                                reason=short_reason(exc)) from exc
        raise DatabaseError("Upgrading the database from schema {revision} failed and it was left as it was "
                            "(nothing in it was changed): {reason}", revision=found.revision or "?",
                            reason=short_reason(exc)) from exc
    return MigrationResult(path, head, created, None if created else found.revision, backup)


def ready_as_is(path: Path, *, create: bool = True) -> MigrationResult | None:
    """What :func:`migrate` would return for a file it has nothing to do to — at head, carrying the
    application id, no interrupted write to roll back, writable — found by the same read-only probe
    and with the same refusals (raised); None when :func:`migrate` has work to do (create, upgrade,
    stamp, recover) or the file is read-only, so the caller takes the full path. Imports neither
    SQLAlchemy nor alembic: a command that only reads opens such a file with sqlite3 alone
    (db/text_reads.py)."""
    path = Path(path)
    found = probe(path)
    refused = fileprobe.refusal(found, create=create)
    if refused is not None:
        raise refused
    if found.state != FileState.OK or not found.stamped or fileprobe.has_hot_journal(path) \
            or not fileprobe.writable(path):
        return None
    return MigrationResult(path, head_revision(), False, None, None)


def _engine(path: Path) -> Engine:
    """A connection whose transactions are ours: pysqlite's implicit BEGIN/COMMIT are off, and
    SQLAlchemy's ``begin()`` issues ``BEGIN IMMEDIATE`` (the write lock, up front)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(os.fspath(path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                              check_same_thread=False)
        con.execute("PRAGMA foreign_keys=OFF")  # batch migrations copy tables; no effect inside a transaction
        return con

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _file_state(conn: Connection) -> tuple[int, str | None, bool]:
    """(application id, revision, holds tables) as seen inside the transaction."""
    app_id = int(conn.exec_driver_sql("PRAGMA application_id").scalar_one())
    tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = None
    if "alembic_version" in tables:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return app_id, revision, bool(tables - {"sqlite_sequence"})


def _run_migrations(path: Path, *, expected: str | None, head: str, backup_folder: Path | None) -> Path | None:
    """Stamp and upgrade ``path`` from ``expected`` (None: a new file) to ``head`` in one transaction;
    with ``backup_folder``, copy the file there first, under the same write lock. Returns the copy."""
    engine = _engine(path)
    backup: Path | None = None
    try:
        with engine.connect() as conn, conn.begin():
            app_id, revision, has_tables = _file_state(conn)
            if app_id not in (0, APPLICATION_ID):
                raise refusal(path, FileState.NOT_JXC, fileprobe.FOREIGN_ID)
            if app_id == APPLICATION_ID and revision == head:
                return None  # another process finished the job while this one waited for the lock
            if revision != expected or (expected is None and has_tables):
                raise DatabaseError("The database file {path} was changed by another program while it was "
                                    "being opened. Try again.", path=str(path))
            if backup_folder is not None:
                backup = before_upgrade_copy(path, backup_folder)
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            if revision != head:
                from alembic import command

                cfg = alembic_config("sqlite://")
                cfg.attributes["connection"] = conn  # in a transaction: alembic takes it as external
                command.upgrade(cfg, "head")
            reached = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if reached != head:
                raise DatabaseError("The migrations stopped at schema {revision} instead of {head}.",
                                    revision=str(reached), head=head)
    finally:
        engine.dispose()
    # Committed. WAL mode cannot be switched inside a transaction; a kill before this line leaves a
    # complete file in rollback-journal mode, which the program's engine switches on its next open.
    con = sqlite3.connect(os.fspath(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()
    return backup


def _stamp_quietly(path: Path, head: str) -> None:
    """Give a JXC file from before the application id its id (a file at head has no upgrade to do
    it in). Nothing is lost if it cannot be done now (busy, read-only): the tables still identify it."""
    try:
        _run_migrations(path, expected=head, head=head, backup_folder=None)
    except Exception:  # noqa: BLE001 - best effort, the file is usable either way
        return


def _recover(path: Path) -> None:
    """Roll back an interrupted write (a hot journal): any read-write connection's first read does
    it. The read-only checks that follow (db/health.py) cannot."""
    con = sqlite3.connect(os.fspath(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseError("Cannot open {path}: {reason}", path=str(path), reason=str(exc)) from exc
    finally:
        con.close()


def _remove_if_empty(path: Path) -> None:
    """A file this call created and could not fill: leave the folder as it was."""
    try:
        if path.stat().st_size == 0:
            path.unlink()
            for suffix in ("-journal", "-wal", "-shm"):
                fileprobe.side_file(path, suffix).unlink(missing_ok=True)
    except OSError:
        pass


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def create_beside(path: Path, fill: Callable[[Path], T]) -> T:
    """Make a new shop at ``path`` (missing or empty) in one step: build it complete in a hidden
    folder beside it — ``migrate`` then ``fill(new_file)`` — and put it in place with one rename.
    A kill before the rename leaves ``path`` as it was; after it, the shop is complete. Returns
    what ``fill`` returned."""
    import shutil  # only for making a shop: a command that opens one does not load them (issue 15)
    import tempfile

    path = Path(path)
    found = probe(path)
    if found.state not in (FileState.MISSING, FileState.EMPTY):
        raise DatabaseError("The database file {path} is not empty; nothing was changed.", path=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_builds(path)
        build = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", suffix=BUILDING, dir=path.parent))
    except OSError as exc:
        raise DatabaseError("Cannot write in the folder {folder}: {reason}", folder=str(path.parent),
                            reason=exc.strerror or str(exc)) from exc
    try:
        new = build / path.name
        migrate(new)
        result = fill(new)
        con = sqlite3.connect(os.fspath(new), isolation_level=None)
        try:  # one self-contained file: the log folded in, no -wal to carry along
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
        fsync(new)
        if probe(path).state not in (FileState.MISSING, FileState.EMPTY):
            raise DatabaseError("The database file {path} was created by another program meanwhile; nothing was "
                                "changed.", path=str(path))
        for suffix in ("-journal", "-wal", "-shm"):  # an empty file's leftovers must not meet the new one
            fileprobe.side_file(path, suffix).unlink(missing_ok=True)
        os.replace(new, path)
        fsync(path.parent, directory=True)
    except OSError as exc:
        raise DatabaseError("Could not write the new database {path}: {reason}", path=str(path),
                            reason=exc.strerror or str(exc)) from exc
    finally:
        shutil.rmtree(build, ignore_errors=True)
    con = sqlite3.connect(os.fspath(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()
    return result


def _remove_dead_builds(path: Path) -> None:
    """Folders of ``create_beside`` runs that were killed (their process is gone). Only where a
    process can be asked whether it lives without harming it (not on Windows)."""
    import shutil

    if os.name == "nt":
        return
    for folder in path.parent.glob(f".{glob.escape(path.name)}.*{BUILDING}"):
        try:
            pid = int(folder.name[len(path.name) + 2:].split(".", 1)[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, OSError):
            continue
