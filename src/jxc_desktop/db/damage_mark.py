"""The last full check's verdict, kept beside the data file: how every later process learns it.

Opening a file checks only what is cheap (header, application id, revision, schema: milliseconds
whatever its size). The full ``PRAGMA integrity_check`` runs in the window's background after
start, at every backup and on demand; when it finds damage, :func:`record` writes
``<file>-damaged`` beside the data file (one small JSON text: the reason, when, and the identity of
the file it is about). Every :class:`~jxc_desktop.db.uow.Database` reads it on its first use (one
``stat`` and a read of a few hundred bytes), so a ``jxc`` command or a window started later refuses
writes from then on — without paying for the check again.

Why beside the file and not in it: nothing more is written into a file found damaged, and a file too
damaged to be read still gets its verdict.

The mark names the file by its device and inode: a restore puts another file in place (a new inode),
so the mark of the old one no longer applies; a full check of the file that passes removes it
(:func:`clear`), as does a restore.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

SUFFIX = "-damaged"


def mark_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def record(path: Path, reason: str) -> None:
    """Say ``path`` failed a check. Best effort: a folder that cannot be written keeps no mark (that
    process still refuses writes; the file cannot be written there anyway)."""
    ident = _identity(path)
    text = json.dumps({"reason": reason, "found": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "dev": ident[0] if ident else None, "ino": ident[1] if ident else None},
                      ensure_ascii=False)
    mark = mark_path(path)
    tmp = mark.with_name(mark.name + ".tmp")
    with contextlib.suppress(OSError):
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, mark)  # whole or not at all


def recorded(path: Path) -> str | None:
    """The reason a check gave for ``path`` being damaged, or None (no mark, or a mark about a file
    that is no longer there: another file was put in its place)."""
    mark = mark_path(path)
    try:
        data = json.loads(mark.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return "a check found it damaged"  # a mark we cannot read still says so
    ident = _identity(path)
    if ident is not None and data.get("ino") is not None and (data.get("dev"), data.get("ino")) != ident:
        clear(path)  # about the file that was there before (a restore, a copy put in its place)
        return None
    return str(data.get("reason") or "a check found it damaged")


def clear(path: Path) -> None:
    """A full check of ``path`` passed (or a checked copy replaced it)."""
    with contextlib.suppress(OSError):
        mark_path(path).unlink(missing_ok=True)
