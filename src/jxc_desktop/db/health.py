"""Is the data file whole? Three checks of increasing cost, all read-only.

* :func:`schema_problems` — every table, index and trigger this program's schema has is there (a
  dropped ``sale`` table or index is damage, not a smaller shop). One query of ``sqlite_master``:
  milliseconds even on a big file, so it runs every time a file is opened.
* ``PRAGMA quick_check`` — the pages and records hold together; it does **not** compare indexes
  with their tables. :mod:`jxc_desktop.db.migrate` and the start-up inspection run it.
* :func:`integrity_problems` — ``PRAGMA integrity_check``: everything, indexes included. Seconds on
  a big file, so the window runs it in the background after start; every backup runs it on its copy;
  the command line runs it before its first write and ``jxc check`` on demand.

From the moment a check fails the :class:`~jxc_desktop.db.uow.Database` refuses every write
(``DamagedFileError``), so nothing more is written into a damaged file.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from jxc_desktop.db import schema_names
from jxc_desktop.db.uri import sqlite_uri

# Triggers the migrations create (they are not part of the models' metadata). A test compares this
# module's whole expectation with a file freshly migrated to head.
TRIGGERS = frozenset({"audit_log_no_delete", "audit_log_no_update", "audit_log_no_replace",
                      "product_text_insert", "product_text_update", "product_text_delete"})
# Tables the models do not declare: migration 0007's text indexes of the products (two FTS5 tables,
# the tables SQLite keeps their index in, and their vocabularies).
INDEX_TABLES = frozenset({f"{fts}{part}" for fts in ("product_text", "product_pinyin_text")
                          for part in ("", "_data", "_idx", "_config")}
                         | {"product_text_terms", "product_pinyin_terms"})
MAX_ROWS = 20


@functools.cache
def _expected() -> dict[str, frozenset[str]]:
    # The models' names as written out in schema_names (a test keeps them equal): no SQLAlchemy here.
    tables = schema_names.TABLES | {"alembic_version"} | INDEX_TABLES
    return {"table": frozenset(tables), "index": schema_names.INDEXES, "trigger": TRIGGERS}


def expected_schema() -> dict[str, set[str]]:
    """``{"table": names, "index": names, "trigger": names}`` of a file at this program's head."""
    return {kind: set(names) for kind, names in _expected().items()}


def not_modelled(name: str) -> bool:
    """A table the migrations make that the models do not declare (compare_metadata leaves it)."""
    return name in INDEX_TABLES


def missing_from(rows: Iterable[tuple[str, str]], head: bool = True) -> list[str]:
    """What ``sqlite_master``'s ``(type, name)`` rows lack. A file not at head (about to be
    upgraded) is only asked for the tables every revision has."""
    present: dict[str, set[str]] = {"table": set(), "index": set(), "trigger": set()}
    for kind, name in rows:
        present.setdefault(kind, set()).add(name)
    expected = expected_schema()
    if not head:
        from jxc_desktop.db.migrate import CORE_TABLES

        expected = {"table": set(CORE_TABLES) | {"alembic_version"}}
    problems = []
    for kind in ("table", "index", "trigger"):
        gone = sorted(expected.get(kind, set()) - present[kind])
        if gone:
            problems.append(f"missing {kind}{'es' if kind == 'index' else 's'}: {', '.join(gone)}")
    return problems


def schema_problems(con: sqlite3.Connection) -> list[str]:
    """What is missing from an open JXC file (empty list: complete). A file with no tables at all is
    a new shop, not damage."""
    rows = [(str(t), str(n)) for t, n in con.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")]
    if not rows:
        return []
    head = True
    if any(t == "table" and n == "alembic_version" for t, n in rows):
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        head = row is not None and row[0] == _head()
    return missing_from(rows, head)


@functools.cache
def _head() -> str:
    from jxc_desktop.db.migrate import head_revision

    return head_revision()  # reads the migration files: once per process


def _open(path: Path | str) -> sqlite3.Connection:
    return sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=5)


def _not_checked(path: Path | str, exc: sqlite3.Error) -> Exception:
    """Busy, locked, unreadable: the check could not run — that says nothing about damage."""
    from jxc_desktop.domain.errors import DatabaseError

    return DatabaseError("Could not check {path}: {reason}", path=str(path), reason=str(exc))


def file_schema_problems(path: Path | str) -> list[str]:
    """:func:`schema_problems` of the file at ``path``, opened read-only; SQLite's own error as the
    one problem when the file is too damaged to be read. Raises DatabaseError when it could not look
    (busy, no permission)."""
    try:
        con = _open(path)
        try:
            return schema_problems(con)
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        raise _not_checked(path, exc) from exc
    except sqlite3.DatabaseError as exc:  # malformed, not a database
        return [str(exc)]


def integrity_problems(path: Path | str, *, quick: bool = False, limit: int = MAX_ROWS,
                       on_connect: Callable[[sqlite3.Connection], None] | None = None) -> list[str]:
    """``PRAGMA integrity_check`` (or ``quick_check``) of the file at ``path``, read-only, plus the
    schema check; an empty list when the file is whole. Raises DatabaseError when it could not look
    (busy, no permission, interrupted)."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        con = _open(path)
        if on_connect is not None:
            on_connect(con)  # e.g. to interrupt() a long check from another thread
        try:
            rows = [str(r[0]) for r in con.execute(f"PRAGMA {pragma}({int(limit)})")]
            problems = [] if rows == ["ok"] else rows
            return problems or schema_problems(con)
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        raise _not_checked(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def summary(problems: list[str], width: int = 300) -> str:
    """Problems as one line for a message."""
    return " ".join("; ".join(problems).split())[:width]
