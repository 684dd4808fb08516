"""Who is using a data file: one window at a time, and no restore while anyone reads or writes it.

Two operating-system locks on the data file itself, so they follow the real file (the inode), not
the path string — a symbolic link or a hard link to an open file is the same file:

* the **window byte**: held exclusively by a window for as long as it is open; a second window on
  the same file (by any path) is refused;
* the **use byte**: held shared by the window for as long as it is open and by every unit of work
  (:mod:`jxc_desktop.db.uow`) for the length of its transaction, in any process; a restore holds it
  exclusively while it keeps the current file and swaps the new one in, so it is refused while a
  window is open or a command is writing, and nobody starts a transaction on the old file meanwhile.

The bytes lie far beyond the end of any database; how each system locks them (open-file-description
locks on Linux, so a killed window leaves no stale lock; ``LockFileEx`` on Windows; ``flock`` for the
window byte elsewhere) is db/lock_bytes.py.

A process keeps one open descriptor per data file for as long as it runs (closing a descriptor of a
file would drop SQLite's own POSIX locks held by other connections of the same process); after a
restore the old file's descriptor is closed once nothing uses it.

Every lock here is per file identity (device, inode); the in-process bookkeeping counts holders so
that a window's long-lived shared hold and its units of work share the one descriptor.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jxc_desktop.db.lock_bytes import PRIMITIVE, USE_BYTE, WINDOW_BYTE
from jxc_desktop.domain.errors import DatabaseError

POLL_S = 0.01

Identity = tuple[int, int]


def identity(path: Path | str) -> Identity | None:
    """(device, inode) of the file ``path`` names after following links; None when it does not exist."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return st.st_dev, st.st_ino




# ---------------------------------------------------------------------- in-process bookkeeping


@dataclass
class _File:
    key: Identity
    fd: int
    windows: int = 0  # window holds (the window byte, exclusive; and the use byte, shared)
    active: int = 0  # units of work in progress (the use byte, shared)
    exclusive: int | None = None  # thread id holding the use byte exclusively
    use_mode: str = "un"
    retired: bool = False  # no longer the data file (a restore replaced it); the descriptor is closed
    owners: weakref.WeakSet[object] = field(default_factory=weakref.WeakSet)  # Databases using it


_MUTEX = threading.RLock()
_FILES: dict[Identity, _File] = {}
_moved: dict[Identity, Identity] = {}  # a restore swapped the file: old identity -> new


def _file(path: Path, key: Identity) -> _File | None:
    """The process's descriptor for the file ``key``, opened on first use (None: cannot be opened
    for locking — a read-only file or medium, which nobody can write anyway — or just replaced)."""
    f = _FILES.get(key)
    if f is not None:
        return f
    _sweep()
    try:
        fd = PRIMITIVE.open(path)
    except OSError:
        return None
    st = os.fstat(fd)
    if (st.st_dev, st.st_ino) != key:  # replaced between stat and open: the caller looks again
        os.close(fd)
        return None
    f = _File(key, fd)
    _FILES[key] = f
    return f


def _sweep() -> None:
    """Close the descriptors of files whose Databases are gone (garbage-collected without
    ``dispose()``) and that nothing in this process holds: a long-running process (or a test
    session) opening many files does not run out of descriptors."""
    for f in list(_FILES.values()):
        if not f.owners and not (f.active or f.windows or f.exclusive is not None):
            _retire(f)


def _set_use(f: _File, mode: str) -> bool:
    if f.use_mode == mode or not PRIMITIVE.checks_use:
        f.use_mode = mode
        return True
    if PRIMITIVE.set(f.fd, USE_BYTE, mode):
        f.use_mode = mode
        return True
    return False


def _settle(f: _File, path: Path | None = None) -> None:
    """Bring the use byte to what this process's holders need. A file nobody here holds any more
    that is no longer at ``path`` (another process restored over it) is closed and forgotten."""
    if f.retired:
        return
    wanted = "ex" if f.exclusive is not None else "sh" if (f.windows or f.active) else "un"
    if wanted != f.use_mode:
        _set_use(f, wanted)
    if wanted == "un" and path is not None and identity(path) != f.key:
        _retire(f)


def _retire(f: _File) -> None:
    f.retired = True
    _FILES.pop(f.key, None)
    if f.fd >= 0:
        with contextlib.suppress(OSError):
            PRIMITIVE.set(f.fd, USE_BYTE, "un")
            PRIMITIVE.set(f.fd, WINDOW_BYTE, "un")
        os.close(f.fd)
        f.fd = -1


def _in_use_error(path: Path) -> DatabaseError:
    return DatabaseError("{path} is in use: JXC Desktop is open on it, or another program is reading or "
                         "writing it. Close it and try again.", path=str(path))


def _busy_error() -> DatabaseError:
    return DatabaseError("The database is busy (a backup is being restored). Try again in a moment.")


# ---------------------------------------------------------------------- the use byte


def _try_use(path: Path, key: Identity, owner: object | None) -> tuple[bool, _File | None]:
    """One attempt, under the mutex: (done, held file or None for "nothing to lock")."""
    f = _file(path, key)
    if f is None:
        return identity(path) == key, None  # read-only file: nothing to lock (nothing can write it)
    if f.retired or f.exclusive not in (None, threading.get_ident()):
        return False, None
    if f.use_mode == "un" and not _set_use(f, "sh"):
        return False, None
    f.active += 1
    if owner is not None:
        f.owners.add(owner)
    if identity(path) == key:
        return True, f
    f.active -= 1  # another process swapped the file in meanwhile: use the new one
    _settle(f, path)
    return False, None


@contextlib.contextmanager
def using(path: Path | str | None, timeout: float = 4.0, owner: object | None = None) -> Iterator[None]:
    """Hold the use byte shared around a transaction on ``path`` (a missing file: nothing to hold).

    Waits up to ``timeout`` seconds while a restore holds it; then the file is looked at again — a
    restore has usually replaced it — so the transaction opens the file that is there now. ``owner``
    (the Database) keeps the process's descriptor open until :func:`forget` is called for it.
    """
    held: _File | None = None
    if path is not None:
        path = Path(path)
        deadline = time.monotonic() + timeout
        while True:
            key = identity(path)
            if key is None:
                break
            with _MUTEX:
                done, held = _try_use(path, key, owner)
            if done:
                break
            if time.monotonic() >= deadline:
                raise _busy_error()
            time.sleep(POLL_S)
    try:
        yield
    finally:
        if held is not None:
            with _MUTEX:
                held.active -= 1
                _settle(held, path)  # type: ignore[arg-type]


def in_forked_child() -> None:
    """Called first thing in a process just forked from this one (``jxc stock``'s helper,
    cli/stock_split.py): forget the parent's descriptors without unlocking anything. The child
    shares their open file descriptions with the parent, and so their locks (open-file-description
    locks, flock): a hold taken or dropped through them would be the parent's too. Closing the
    child's copies releases nothing while the parent keeps its own; the child's units of work then
    open descriptors of their own, with locks of their own."""
    for f in _FILES.values():
        with contextlib.suppress(OSError):
            os.close(f.fd)
    _FILES.clear()
    _moved.clear()


def forget(owner: object) -> None:
    """``owner`` (a disposed Database) uses its files no more: close the descriptors nobody else in
    this process needs. (Closing a descriptor drops every POSIX lock the process holds on the file,
    SQLite's included, so it is done only when no unit of work, window or other Database uses it.)"""
    with _MUTEX:
        for f in list(_FILES.values()):
            if owner in f.owners:
                f.owners.discard(owner)
                if not f.owners and not (f.active or f.windows or f.exclusive is not None):
                    _retire(f)


# ---------------------------------------------------------------------- the window


def _current(key: Identity) -> Identity:
    while key in _moved:
        key = _moved[key]
    return key


class WindowLock:
    """The window's hold on its data file; ``unlock()`` when the window closes."""

    def __init__(self, path: Path, key: Identity, created: bool) -> None:
        self.path = path
        self.key = key
        self.created = created  # the file did not exist: an empty one was made to hold the lock on
        self._held = True

    def unlock(self) -> None:
        with _MUTEX:
            if not self._held:
                return
            self._held = False
            f = _FILES.get(_current(self.key))
            if f is None or f.windows == 0:
                return
            f.windows -= 1
            if f.windows == 0:
                PRIMITIVE.set(f.fd, WINDOW_BYTE, "un")
            _settle(f, self.path)

    def follow(self) -> bool:
        """After the file at ``path`` was replaced by something else than a restore of this process
        (creating a shop may build it beside and rename it into place): hold the new file instead.
        False when another window got the new file first."""
        with _MUTEX:
            key = identity(self.path)
            if not self._held or key is None or key == _current(self.key):
                return self._held
            self.unlock()
            other = lock_window(self.path)
            if other is None:
                return False
            self.key, self._held = other.key, True
            return True

    def isLocked(self) -> bool:  # noqa: N802 - the QLockFile name the window used before
        return self._held


def lock_window(path: Path | str) -> WindowLock | None:
    """Take the window byte (exclusive) and the use byte (shared) of the file at ``path``; None when
    another window — in this or another process, by any path to the same file — already has it.

    A file that does not exist yet is created empty first (the window then creates the shop in it),
    so that two windows started at once on a new file cannot both go on.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    created = False
    for _attempt in range(5):
        if identity(path) is None:
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                created = True
            except FileExistsError:
                pass
        key = identity(path)
        if key is None:
            continue
        with _MUTEX:
            f = _file(path, key)
            if f is None and identity(path) == key:
                # Cannot be opened for writing (a read-only file or medium): nothing can change it, so
                # there is nothing to protect; the window reports the read-only file itself.
                return WindowLock(path, key, created)
            if f is None or f.retired:
                continue
            if f.windows or f.exclusive is not None:
                return None
            if not PRIMITIVE.set(f.fd, WINDOW_BYTE, "ex"):
                return None
            if not _set_use(f, "sh"):  # a restore in another process holds the file right now
                PRIMITIVE.set(f.fd, WINDOW_BYTE, "un")
                return None
            f.windows += 1
        return WindowLock(path, key, created)
    return None


# ---------------------------------------------------------------------- restore


class Exclusive:
    """The use byte held exclusively (see :func:`exclusive`)."""

    def __init__(self, path: Path, f: _File | None) -> None:
        self.path = path
        self._file = f
        self._new: _File | None = None

    def prepare(self, new_file: Path) -> None:
        """Lock the file about to be renamed over the data file (exclusively: nobody may use it
        before we are done), so that the data file is never unlocked during the swap."""
        key = identity(new_file)
        if key is None or self._file is None:
            return
        with _MUTEX:
            f = _file(new_file, key)
            if f is None:
                return
            f.exclusive = threading.get_ident()
            if not _set_use(f, "ex"):
                f.exclusive = None
                raise _in_use_error(self.path)
            self._new = f

    def before_replace(self) -> None:
        """Windows cannot rename over a file someone holds open: let go of the old descriptor."""
        if sys.platform == "win32" and self._file is not None:  # pragma: no cover
            with _MUTEX:
                os.close(self._file.fd)
                self._file.fd = -1

    def swapped(self) -> None:
        """The new file is in place: move this process's window hold to it and retire the old one."""
        old, new = self._file, self._new
        if old is None or new is None:
            return
        with _MUTEX:
            if old.windows:
                PRIMITIVE.set(new.fd, WINDOW_BYTE, "ex")
                new.windows, old.windows = old.windows, 0
            _moved[old.key] = new.key
            old.exclusive = None
            _retire(old)
            self._file, self._new = new, None

    def release(self) -> None:
        with _MUTEX:
            for f in (self._new, self._file):
                if f is not None and not f.retired:
                    f.exclusive = None
                    _settle(f)
            if self._new is not None and not self._new.retired and not self._new.windows:
                _retire(self._new)  # the swap did not happen: the new file is thrown away
            self._new = None


def _try_exclusive(path: Path, key: Identity) -> tuple[bool, _File | None]:
    f = _file(path, key)
    if f is None:
        return identity(path) == key, None
    if f.retired or f.exclusive is not None or f.active:
        return False, None
    f.exclusive = threading.get_ident()
    if _set_use(f, "ex"):
        return True, f
    f.exclusive = None
    _settle(f)
    return False, None


@contextlib.contextmanager
def exclusive(path: Path | str, timeout: float = 2.0) -> Iterator[Exclusive]:
    """Hold the use byte of ``path`` exclusively: no transaction of any process on it meanwhile.

    This process's own window does not count (it asked for the restore); transactions in progress
    get up to ``timeout`` seconds to end, then a clear DatabaseError says the file is in use.
    """
    path = Path(path)
    held: _File | None = None
    deadline = time.monotonic() + timeout
    while True:
        key = identity(path)
        if key is None:
            break
        with _MUTEX:
            done, held = _try_exclusive(path, key)
        if done:
            break
        if time.monotonic() >= deadline:
            raise _in_use_error(path)
        time.sleep(POLL_S)
    lock = Exclusive(path, held)
    try:
        yield lock
    finally:
        lock.release()
