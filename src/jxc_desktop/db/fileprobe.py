"""What a database file is, found by reading it only.

Nothing here writes to the file, its ``-wal`` or its ``-journal``: not even switching to WAL mode,
a checkpoint or the roll-back of an interrupted write. ``probe()`` is what the window, every
``jxc`` command, ``jxc check`` and the backups look at before anything opens a file for writing.

A JXC file is recognised by its SQLite application id (:data:`APPLICATION_ID`, at byte 68 of the
header), set in the same transaction that creates the schema. Files made before the id existed are
recognised by their tables (:data:`LEGACY_TABLES`, every JXC file has had them since revision
0001) and get the id during their next upgrade. Anything else is another program's file, even
when it carries alembic revision ids like ours.

Reading without writing, in the three cases where a plain read-only open cannot:

- a hot ``-journal`` (a write interrupted in rollback-journal mode): SQLite must roll it back before
  reading, which a read-only connection cannot do. The file and its journal are copied to a
  temporary folder and the copy is read after SQLite rolled it back there — what the next writer
  will see.
- a WAL file whose folder cannot be written (no ``-shm`` can be made): with no pending ``-wal`` the
  file is read with ``immutable=1``; with one, a copy of both is read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from jxc_desktop.domain.errors import DatabaseError

APPLICATION_ID = 0x4A584344  # "JXCD": JXC Desktop, in the SQLite header (PRAGMA application_id)
SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a connection of the program waits for another's lock before "database is locked": the
# engine's (db/engine.py) and the plain reads' (db/text_reads.py).
BUSY_TIMEOUT_MS = 4000
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first bytes of a live rollback journal

# Every JXC file has had these tables since revision 0001 (a test checks it): files from before the
# application id are recognised by them. Never extend it with later tables: new files carry the id.
LEGACY_TABLES = frozenset({
    "audit_log", "barcode", "batch", "category", "held_sale", "payment", "product", "purchase",
    "purchase_line", "sale", "sale_line", "sequence", "setting", "stock_count", "stock_count_line",
    "stock_move", "supplier",
})
CORE_TABLES = frozenset({"product", "stock_move", "sale"})

# Reasons (fixed English, translated where they are shown). SQLite's own texts are passed through.
NO_FOLDER = "the folder does not exist"
NOT_REGULAR = "a device or a pipe"
IS_FOLDER = "it is a folder"
NOT_SQLITE = "its first bytes are not those of an SQLite file"
FOREIGN_ID = "it is marked as another program's file"
FOREIGN_TABLES = "it holds another program's tables"
TRUNCATED = "the file is truncated"
BAD_PAGE_SIZE = "bad page size in the header"
NO_REVISION = "no schema revision recorded"
NO_TABLES = "no tables"
ZERO_BYTES = "0 bytes"
NOT_DATABASE_REASONS = frozenset({NOT_REGULAR, NOT_SQLITE})


class FileState(StrEnum):
    MISSING = "missing"  # no file yet: a new shop
    EMPTY = "empty"  # zero bytes or no tables: no shop data in it
    OK = "ok"  # a JXC database at this program's schema
    OLDER = "older"  # a JXC database of an older schema: upgraded (after a backup) on opening
    DAMAGED = "damaged"  # truncated, unreadable schema, or a JXC file without its revision or core tables
    NOT_JXC = "not_jxc"  # not a database file, or another program's database
    NEWER = "newer"  # written by a newer JXC Desktop
    UNREADABLE = "unreadable"  # a folder, no permission, locked by the system


@dataclass(frozen=True)
class Probe:
    path: Path
    state: FileState
    revision: str | None = None
    reason: str = ""
    stamped: bool = False  # carries APPLICATION_ID (else: made before it existed, or not ours)
    recovered: bool = False  # read as it will be once SQLite undoes an interrupted write

    @property
    def ours(self) -> bool:
        return self.state in (FileState.OK, FileState.OLDER, FileState.NEWER) or (
            self.state == FileState.DAMAGED and self.stamped)


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """``file:`` URI that opens ``path`` read-only; every character of the path is escaped, so a
    ``#``, ``?`` or ``%`` in a name is part of the name."""
    uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def has_hot_journal(path: Path) -> bool:
    """A rollback journal with a live header beside the file: a write was interrupted (or is under
    way in another process). Reading it needs SQLite to roll it back first."""
    try:
        with side_file(path, "-journal").open("rb") as fh:
            return fh.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def _has_pending_wal(path: Path) -> bool:
    try:
        return side_file(path, "-wal").stat().st_size > 0
    except OSError:
        return False


def _header_problem(header: bytes, size: int) -> tuple[FileState, str] | None:
    if not header.startswith(SQLITE_MAGIC):
        return FileState.NOT_JXC, NOT_SQLITE
    if len(header) < 100:
        return FileState.DAMAGED, TRUNCATED
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return FileState.DAMAGED, BAD_PAGE_SIZE
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if counter_valid and pages and size < pages * page_size:
        return FileState.DAMAGED, TRUNCATED
    if size % page_size:
        return FileState.DAMAGED, TRUNCATED
    return None


def _is_read_refusal(exc: sqlite3.Error) -> bool:
    """A read-only open that failed only because SQLite could not make its side files."""
    text = str(exc).lower()
    return "readonly" in text or "unable to open" in text


def _copy_beside(path: Path, folder: Path, suffixes: tuple[str, ...]) -> Path:
    copy = folder / "probe.sqlite3"
    shutil.copyfile(path, copy)
    for suffix in suffixes:
        if side_file(path, suffix).exists():
            shutil.copyfile(side_file(path, suffix), side_file(copy, suffix))
    # Opened read-write, SQLite undoes the interrupted write (or replays the log) in the copy.
    con = sqlite3.connect(copy)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()
    return copy


@dataclass(frozen=True)
class Reading:
    uri: str  # open with sqlite3.connect(uri, uri=True): read-only
    file: Path  # what it reads: the file itself or a temporary copy
    recovered: bool  # an interrupted write is undone in what it shows (the file itself still holds it)


def _scratch() -> AbstractContextManager[str]:
    """A temporary folder for a copy to read (rare: an interrupted write, a read-only folder; the
    tempfile module is loaded only then — issue 15, a command's fixed cost)."""
    import tempfile

    return tempfile.TemporaryDirectory(prefix="jxc-read-")


@contextmanager
def reading(path: Path) -> Iterator[Reading]:
    """A read-only view of ``path`` as the next writer will see it, made without writing to it
    (see the module doc). Raises sqlite3.Error or OSError."""
    path = Path(path)
    if has_hot_journal(path):
        with _scratch() as tmp:
            copy = _copy_beside(path, Path(tmp), ("-journal",))
            yield Reading(read_only_uri(copy), copy, True)
        return
    uri = read_only_uri(path)
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            con.execute("PRAGMA schema_version").fetchone()  # reads page 1 (and opens the -wal)
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if not _is_read_refusal(exc):
            raise
        if not _has_pending_wal(path):  # nothing in a log: the file alone is the database
            yield Reading(read_only_uri(path, immutable=True), path, False)
            return
        with _scratch() as tmp:
            copy = _copy_beside(path, Path(tmp), ("-wal",))
            yield Reading(read_only_uri(copy), copy, False)
        return
    yield Reading(uri, path, False)


def _check_header(path: Path, shown_as: Path) -> Probe | None:
    """Size, magic, page size and a foreign application id, from the first 100 bytes."""
    try:
        size = path.stat().st_size
        if size == 0:
            return Probe(shown_as, FileState.EMPTY, reason=ZERO_BYTES)
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return Probe(shown_as, FileState.UNREADABLE, reason=exc.strerror or str(exc))
    problem = _header_problem(header, size)
    if problem is not None:
        return Probe(shown_as, problem[0], reason=problem[1])
    if int.from_bytes(header[68:72], "big") not in (0, APPLICATION_ID):
        return Probe(shown_as, FileState.NOT_JXC, reason=FOREIGN_ID)
    return None


def probe(path: Path | str, *, known: set[str], head: str) -> Probe:
    """Classify ``path`` without writing to it. ``known``: every revision id this program has,
    ``head``: its newest."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return Probe(path, FileState.MISSING, reason="" if path.parent.is_dir() else NO_FOLDER)
    except NotADirectoryError:
        return Probe(path, FileState.MISSING, reason=NO_FOLDER)
    except OSError as exc:
        return Probe(path, FileState.UNREADABLE, reason=exc.strerror or str(exc))
    if stat.S_ISDIR(st.st_mode):
        return Probe(path, FileState.UNREADABLE, reason=IS_FOLDER)
    if not stat.S_ISREG(st.st_mode):  # never opened: reading a FIFO blocks, /dev/zero never ends
        return Probe(path, FileState.NOT_JXC, reason=NOT_REGULAR)
    if st.st_size == 0:
        return Probe(path, FileState.EMPTY, reason=ZERO_BYTES)
    if not has_hot_journal(path):  # with one, the header may be half-written: judge the recovered copy
        bad = _check_header(path, path)
        if bad is not None:
            return bad
    try:
        if not has_hot_journal(path) and not side_file(path, "-wal").exists():
            # Whose file, read straight from it (no log holds anything): a read-only open of a
            # WAL-mode file would leave an empty -wal and -shm beside it, and another program's
            # file gets nothing at all from us. A JXC file is then looked at fully.
            con = sqlite3.connect(read_only_uri(path, immutable=True), uri=True)
            try:
                first = _classify(path, con, known, head, thorough=False)
            finally:
                con.close()
            if first is not None:
                return first
        with reading(path) as view:
            if view.recovered:
                bad = _check_header(view.file, path)
                if bad is not None:
                    return replace(bad, recovered=True)
            con = sqlite3.connect(view.uri, uri=True)
            try:
                found = _classify(path, con, known, head)
                assert found is not None
                return replace(found, recovered=view.recovered)
            finally:
                con.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        state = FileState.NOT_JXC if "not a database" in text else FileState.DAMAGED
        if "locked" in text or "unable to open" in text:
            state = FileState.UNREADABLE
        return Probe(path, state, reason=text)
    except UnicodeDecodeError as exc:  # scribbled schema text: the names in sqlite_master are not text
        return Probe(path, FileState.DAMAGED, reason=f"the schema is not readable text ({exc.reason})")
    except OSError as exc:
        return Probe(path, FileState.UNREADABLE, reason=exc.strerror or str(exc))


def _classify(path: Path, con: sqlite3.Connection, known: set[str], head: str, *,
              thorough: bool = True) -> Probe | None:
    """Whose file, then (``thorough``) which revision and its core tables — what a wrong or broken
    file shows in its first pages, at the same cost for any size. Without ``thorough``: None for a
    file of ours (to be looked at thoroughly), a final Probe for any other."""
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        return Probe(path, FileState.NOT_JXC, reason=FOREIGN_ID)
    stamped = app_id == APPLICATION_ID
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not stamped:
        if not tables - {"sqlite_sequence"}:
            return Probe(path, FileState.EMPTY, reason=NO_TABLES)
        if not LEGACY_TABLES.issubset(tables):
            return Probe(path, FileState.NOT_JXC, reason=FOREIGN_TABLES)
    if not thorough:
        return None
    # No quick_check here: it reads every page (about a second per 400 MB) and this runs on every
    # open. Pages are checked by the full integrity_check, in the background, at backups and on
    # demand; its verdict is kept beside the file (db/damage_mark.py).
    row = con.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in tables else None
    revision = row[0] if row else None
    if revision is None:
        return Probe(path, FileState.DAMAGED, reason=NO_REVISION, stamped=stamped)
    if revision not in known:
        return Probe(path, FileState.NEWER, revision=revision, stamped=stamped)
    missing = CORE_TABLES - tables
    if missing:
        return Probe(path, FileState.DAMAGED, revision=revision, stamped=stamped,
                     reason="missing tables: " + ", ".join(sorted(missing)))
    state = FileState.OK if revision == head else FileState.OLDER
    return Probe(path, state, revision=revision, stamped=stamped)


def writable(path: Path) -> bool:
    """The file (if it exists) and its folder can be written (SQLite needs both for its journal)."""
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.R_OK | os.W_OK)


def refusal(found: Probe, *, create: bool = True) -> DatabaseError | None:
    """The one-line message for a file that must not be opened for writing; None when it may be
    (``create``: a missing or empty file may become a new shop)."""
    from jxc_desktop.i18n import _

    p = str(found.path)
    # The fixed reasons above are translated; SQLite's own text is not. A file without a reason (at
    # head, ready) does not load the language's catalog for nothing (issue 15: ~4 ms of a command).
    reason = _(found.reason) if found.reason else ""
    state = found.state
    if state == FileState.MISSING and not create:
        if found.reason == NO_FOLDER:
            return DatabaseError("The folder {folder} does not exist, so there is no database {path} in it. "
                                 "Check the path; to start a new shop there, run: jxc init",
                                 folder=str(found.path.parent), path=p)
        return DatabaseError("The database file {path} does not exist. To start a new shop there, run: jxc init",
                             path=p)
    if state == FileState.EMPTY and not create:
        return DatabaseError("The database file {path} holds no shop yet. To start a new shop in it, run: jxc init",
                             path=p)
    if state == FileState.DAMAGED:
        return DatabaseError("The database file {path} is damaged ({reason}). It was not opened and nothing in it "
                             "was changed. Restore the newest good backup or choose another file.",
                             path=p, reason=reason)
    if state == FileState.NOT_JXC and found.reason in NOT_DATABASE_REASONS:
        return DatabaseError("{path} is not a JXC Desktop database: it is not a database file at all ({reason}). It was "
                             "not opened or changed. Choose another file or restore a backup.", path=p, reason=reason)
    if state == FileState.NOT_JXC:
        return DatabaseError("{path} is not a JXC Desktop database: it belongs to another program ({reason}). It "
                             "was not opened or changed. Choose another file or restore a backup.",
                             path=p, reason=reason)
    if state == FileState.NEWER:
        return DatabaseError("{path} was written by a newer version of JXC Desktop (schema {revision}). "
                             "Install that version to open it, or restore a backup.", path=p,
                             revision=found.revision or "?")
    if state == FileState.UNREADABLE:
        return DatabaseError("Cannot read the database file {path}: {reason}", path=p, reason=reason)
    return None


def read_only_error(path: Path) -> DatabaseError:
    return DatabaseError("The database file {path} cannot be written: it or its folder is read-only. Nothing was "
                         "changed. Check the permissions, or copy the file to a folder you can write to.",
                         path=str(path))
