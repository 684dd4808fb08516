"""Temporary files beside a database file or a backup, and giving a finished one its name.

A copy or a restore is written to ``.jxc-<random>.partial`` / ``.jxc-<random>.restoring`` and only
renamed when complete, so a process killed half-way leaves only a temporary file; an OS lock on it
tells a live maker's file from an abandoned one, which :func:`remove_abandoned` deletes at the next
start. Names are claimed without ever replacing a file (:func:`claim`).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from jxc_desktop.domain.errors import StateError

SUFFIX = ".sqlite3"  # a data file's or a copy's extension
TEMP_PREFIX = ".jxc-"  # temporary files: ".jxc-<random>.partial" (a backup), ".jxc-<random>.restoring"
PARTIAL, RESTORING, UPGRADING = ".partial", ".restoring", ".upgrading"
MAKING = ".making"  # a temporary file for the instant before its maker holds it (TempFile)
MAKING_GRACE_S = 60  # a live maker renames it within microseconds; older and unheld: left by a kill


def candidates(path: Path) -> list[Path]:
    """``path``, then ``path-1``, ``path-2``... (copies made within the same second)."""
    return [path] + [path.with_name(f"{path.stem}-{n}{path.suffix}") for n in range(1, 1000)]


def temp_path(folder: Path, suffix: str) -> Path:
    # os.urandom is what secrets.token_hex reads; `secrets` would cost every command ~5 ms of imports
    # (hmac, hashlib, random) for this one name.
    return folder / f"{TEMP_PREFIX}{os.urandom(6).hex()}{suffix}"


def companions(path: Path) -> list[Path]:
    """SQLite's files beside a database: ``-journal``, ``-wal``, ``-shm``."""
    return [path.with_name(path.name + side) for side in ("-journal", "-wal", "-shm")]


class TempFile:
    """A temporary file beside its destination, marked as alive by an OS lock on it (so the start-up
    clean-up of another process never deletes it), removed with SQLite's companions on exit."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.path = temp_path(folder, suffix)
        self._fd: int | None = None

    def __enter__(self) -> TempFile:
        # Made under a name the clean-up never looks at, locked, and only then given its own: between
        # the creation and the lock, another process's start-up clean-up would take the file for a
        # killed maker's and delete it — and SQLite would then make an empty file at the name (seen
        # as "no such table" in one of three restores run at once, under load).
        making = self.path.with_name(self.path.name + MAKING)
        fd = os.open(making, os.O_CREAT | os.O_EXCL | os.O_RDWR | getattr(os, "O_BINARY", 0), 0o644)
        held = _hold(fd)
        if not held:  # Windows: no flock; an open file cannot be deleted (or renamed over) there anyway
            os.close(fd)
        try:
            os.rename(making, self.path)  # the same file (and lock) under its name
        except OSError:
            if held:
                os.close(fd)
            with contextlib.suppress(OSError):
                making.unlink()
            raise
        if held:
            self._fd = fd
        return self

    def release(self) -> None:
        """Stop marking the file alive. Call before anything else may open it through SQLite (closing
        a descriptor drops the POSIX locks SQLite holds on the same file in this process)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __exit__(self, *_exc: object) -> None:
        for p in (self.path, *companions(self.path)):
            with contextlib.suppress(OSError):
                p.unlink()
        self.release()  # after SQLite closed the file: no POSIX lock of ours is dropped


def _hold(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:
        return False
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return True


def _abandoned(path: Path) -> bool:
    """A temporary file no live process holds (its maker was killed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be deleted, so trying to is the test
        os.close(fd)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def remove_abandoned(data_path: Path, folder: Path) -> list[Path]:
    """Remove from ``folder`` what killed restores and copies left: ``.jxc-*.restoring`` /
    ``.jxc-*.partial`` (and the older ``<name>.restoring`` / ``*.partial``), with their
    ``-journal``/``-wal``/``-shm`` and an upgrade's scratch folder. A file still held by a running
    restore or copy is left alone. Returns the removed paths."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    found = [*folder.glob(f"{TEMP_PREFIX}*{RESTORING}"), *folder.glob(f"{TEMP_PREFIX}*{PARTIAL}"),
             *folder.glob(f"*{SUFFIX}{PARTIAL}"), data_path.with_name(data_path.name + RESTORING)]
    for path in found:
        try:
            candidate = path.parent == folder and path.is_file()
        except OSError:  # e.g. the old-style name would be too long
            continue
        if candidate and _abandoned(path):
            for p in (*companions(path), path):
                with contextlib.suppress(OSError):
                    p.unlink()
            _remove_tree(path.with_name(path.name + UPGRADING))
            removed.append(path)
    for making in folder.glob(f"{TEMP_PREFIX}*{MAKING}"):  # killed in the instant before the rename
        with contextlib.suppress(OSError):
            if time.time() - making.stat().st_mtime > MAKING_GRACE_S and _abandoned(making):
                making.unlink()
                removed.append(making)
    for scratch in folder.glob(f"{TEMP_PREFIX}*{RESTORING}{UPGRADING}"):
        if not scratch.with_name(scratch.name.removesuffix(UPGRADING)).exists():  # its restore is gone
            _remove_tree(scratch)
            removed.append(scratch)
    return removed


def _remove_tree(folder: Path) -> None:
    """Delete a folder and what it holds, if any (shutil loaded only when there is one: the start-up
    clean-up of every command finds none)."""
    if folder.exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def claim(partial: Path, target: Path, *, numbered: bool) -> Path:
    """Give the finished ``partial`` its final name without ever replacing a file: ``target`` or,
    when ``numbered``, the first free ``target-n`` (several copies in one second, several processes
    at once). ``os.link`` fails when the name is taken, atomically; where the file system has no hard
    links (a FAT USB stick) the name is checked first."""
    for candidate in candidates(target) if numbered else [target]:
        try:
            os.link(partial, candidate)
        except FileExistsError:
            continue
        except OSError:
            if candidate.exists():
                continue
            os.replace(partial, candidate)
            return candidate
        partial.unlink()
        return candidate
    raise StateError("{path} already exists; choose another name.", path=str(target))


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
