"""Names for SQLite files: the ``file:`` URIs SQLite opens and the URLs SQLAlchemy parses.

A shop's data file may live at any path the system allows: ``notes#1.db``, ``shop?.sqlite3``,
``shop 100%.sqlite3``, ``店 & 仓.sqlite3``. Pasting such a path into ``f"file:{path}?mode=ro"`` makes
SQLite read ``#`` as a fragment, ``?`` as the start of the options and ``%41`` as ``A`` — it then
opens (and may create and write) another file. Every ``file:`` URI and every SQLAlchemy URL for a
file is built here, from the absolute path with every special character percent-escaped.

The longest file name that works: SQLite keeps ``<name>-journal`` (8 more bytes) beside the file
while it creates or changes it in rollback mode, and ``-wal``/``-shm`` in WAL mode, and a file
system allows 255 bytes per name — so a data file's name may have at most 247 bytes
(:data:`MAX_NAME_BYTES`); :func:`name_problem` explains a longer one instead of letting SQLite
fail with "unable to open database file".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import quote

Mode = Literal["ro", "rw", "rwc", "memory"]

NAME_MAX_BYTES = 255  # one path component, on the file systems a shop PC uses (ext4, NTFS, APFS)
MAX_NAME_BYTES = NAME_MAX_BYTES - len("-journal")


def absolute(path: Path | str) -> Path:
    """The absolute path, without resolving symbolic links (SQLite resolves them itself)."""
    return Path(os.path.abspath(os.fspath(path)))


def sqlite_uri(path: Path | str, *, mode: Mode = "ro", immutable: bool = False) -> str:
    """A ``file:`` URI for ``sqlite3.connect(uri, uri=True)`` naming exactly ``path``.

    ``mode="ro"`` never writes (and never creates the file); ``immutable=True`` also skips locking
    and the write-ahead log — only for a file nothing else can be changing (a copy being checked).
    """
    uri = absolute(path).as_uri()  # percent-escapes everything but letters, digits, "/" and "_.-~"
    uri += f"?mode={mode}"
    if immutable:
        uri += "&immutable=1"
    return uri


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a database file.

    SQLAlchemy 2.x percent-decodes the database part of a URL and hands the result to SQLite as a
    plain file name, so escaping ``?``, ``#`` and ``%`` here round-trips every path exactly
    (tests/integration/test_odd_paths.py checks it against ``make_url``).
    """
    return "sqlite:///" + quote(os.fspath(absolute(path)), safe="/\\:")


def alembic_option(value: str) -> str:
    """A value for alembic's ``Config.set_main_option``, which %-interpolates (ConfigParser)."""
    return value.replace("%", "%%")


def name_problem(path: Path | str) -> str | None:
    """A short reason when SQLite cannot keep a data file under this name (too long), else None."""
    if len(os.fsencode(Path(path).name)) > MAX_NAME_BYTES:
        return "the file name is too long"
    return None


def check_name(path: Path | str) -> None:
    """Raise a clear DatabaseError for a data file name SQLite cannot work with."""
    size = len(os.fsencode(Path(path).name))
    if size > MAX_NAME_BYTES:
        from jxc_desktop.domain.errors import DatabaseError

        raise DatabaseError("Cannot use {path} as a data file: its name is {size} bytes long, and SQLite needs "
                            "room beside it for its journal, so a data file name may have at most {limit} "
                            "bytes. Choose a shorter name.", path=str(path), size=size, limit=MAX_NAME_BYTES)


def short_name(stem: str, extra_bytes: int) -> str:
    """``stem`` cut (on a character boundary) so that ``stem`` plus ``extra_bytes`` more bytes fits
    in :data:`MAX_NAME_BYTES` — for the backup copies and temporary files named after a data file."""
    budget = MAX_NAME_BYTES - extra_bytes
    raw = stem.encode("utf-8", "surrogateescape")
    if len(raw) <= budget:
        return stem
    return raw[:max(budget, 1)].decode("utf-8", "ignore") or "jxc"
