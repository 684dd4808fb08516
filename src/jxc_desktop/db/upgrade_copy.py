"""The copy of a database file taken just before it is upgraded (``<stem>-before-upgrade-….sqlite3``).

Made with SQLite's online backup API while the upgrade holds the write lock (``.partial`` first,
checked, fsynced, then renamed). A byte-identical copy left by an earlier attempt that was
interrupted is reused (:func:`same_database`), and ``.partial`` files of killed attempts are
removed, so retries do not pile up copies in ``backups/``.
"""

from __future__ import annotations

import filecmp
import glob
import os
import sqlite3
from pathlib import Path
from typing import BinaryIO

from jxc_desktop.db import fileprobe
from jxc_desktop.db.fileprobe import FileState
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import DatabaseError

PARTIAL = ".partial"


def refusal(path: Path, state: FileState, reason: str) -> DatabaseError:
    """The message for a file found in ``state`` (db/fileprobe.py)."""
    err = fileprobe.refusal(fileprobe.Probe(path, state, reason=reason))
    assert err is not None
    return err


def fsync(path: Path, *, directory: bool = False) -> None:
    if directory and os.name == "nt":
        return  # Windows cannot open a folder to flush it; its renames are journalled by NTFS
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _freelist(fh: BinaryIO, page_size: int, header: bytes) -> list[int] | None:
    """The free pages (trunks and leaves, in list order) from the SQLite file format; None if the
    list does not add up."""
    trunk, total = int.from_bytes(header[32:36], "big"), int.from_bytes(header[36:40], "big")
    pages: list[int] = []
    while trunk:
        if trunk in pages or len(pages) > total:
            return None
        fh.seek((trunk - 1) * page_size)
        data = fh.read(page_size)
        count = int.from_bytes(data[4:8], "big")
        if len(data) < page_size or count > page_size // 4 - 2:
            return None
        pages.append(trunk)
        pages += [int.from_bytes(data[8 + 4 * i:12 + 4 * i], "big") for i in range(count)]
        trunk = int.from_bytes(data[0:4], "big")
    return pages if len(pages) == total else None


def same_database(a: Path, b: Path) -> bool:
    """Two copies made by the online backup API hold the same database: the same bytes in every
    page that is not free. (Free pages may differ: SQLite does not journal a free page it reuses,
    so rolling back an interrupted write in rollback-journal mode can leave other bytes in them.)"""
    if a.stat().st_size != b.stat().st_size:
        return False
    if filecmp.cmp(a, b, shallow=False):
        return True
    with a.open("rb") as fa, b.open("rb") as fb:
        header = fa.read(100)
        if len(header) < 100 or header != fb.read(100):
            return False
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        free_a, free_b = _freelist(fa, page_size, header), _freelist(fb, page_size, header)
        if free_a is None or free_a != free_b:
            return False
        skip = set(free_a)
        for page in range(1, a.stat().st_size // page_size + 1):
            if page in skip:
                continue
            fa.seek((page - 1) * page_size)
            fb.seek((page - 1) * page_size)
            if fa.read(page_size) != fb.read(page_size):
                return False
    return True


def before_upgrade_copy(path: Path, folder: Path) -> Path:
    """Copy ``path`` into ``folder`` (the caller holds the write lock, so the copy is exactly what
    the upgrade starts from). Reuses an earlier copy of the same database (``same_database``); removes
    killed attempts' partials."""
    stem = glob.escape(path.stem)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{stem}-before-upgrade-*{PARTIAL}"):  # the lock is ours: nobody is writing them
            stale.unlink(missing_ok=True)
        stamp = utcnow().astimezone().strftime("%Y%m%d-%H%M%S")
        partial = folder / f"{path.stem}-before-upgrade-{stamp}{PARTIAL}"
        try:
            with fileprobe.reading(path) as view:
                source = sqlite3.connect(view.uri, uri=True)
                target = sqlite3.connect(partial)
                try:
                    source.backup(target)
                    rows = [r[0] for r in target.execute("PRAGMA integrity_check(5)")]
                finally:
                    target.close()
                    source.close()
            if rows != ["ok"]:
                raise refusal(path, FileState.DAMAGED, "; ".join(map(str, rows))[:300])
            fsync(partial)
            size = partial.stat().st_size
            earlier = sorted((p for p in folder.glob(f"{stem}-before-upgrade-*.sqlite3")
                              if p.is_file() and p.stat().st_size == size), key=lambda p: p.name, reverse=True)
            for copy in earlier:
                if same_database(copy, partial):
                    return copy  # an interrupted earlier attempt made the very same copy
            final = folder / f"{path.stem}-before-upgrade-{stamp}.sqlite3"
            n = 0
            while final.exists():
                n += 1
                final = folder / f"{path.stem}-before-upgrade-{stamp}-{n}.sqlite3"
            os.replace(partial, final)
            fsync(folder, directory=True)
            return final
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError("Could not copy the database into {folder} before upgrading it, so it was not "
                            "upgraded: {reason}", folder=str(folder),
                            reason=getattr(exc, "strerror", None) or str(exc)) from exc

