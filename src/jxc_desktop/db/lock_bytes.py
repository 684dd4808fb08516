"""The operating-system locks under db/filelock.py: one byte of an open file locked shared,
exclusive or not at all, without blocking.

The bytes lie far beyond the end of any database (2**62), where SQLite never locks or reads. On Linux
they are open-file-description locks (``F_OFD_SETLK``): per open file, released when the process
dies, and not disturbed by SQLite's own POSIX locks. On Windows they are ``LockFileEx`` ranges.
Elsewhere (macOS, BSD) ``flock`` on the whole file stands in for the window byte and the use byte
is not checked (``checks_use`` is False).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

WINDOW_BYTE = 1 << 62
USE_BYTE = WINDOW_BYTE + 1


class Primitive:
    """Lock one byte of an open file: shared, exclusive or not at all; never blocks."""

    checks_use = True

    def open(self, path: Path) -> int:
        return os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))

    def set(self, fd: int, offset: int, mode: str) -> bool:  # mode: "sh" | "ex" | "un"
        raise NotImplementedError


class _OfdPrimitive(Primitive):
    # struct flock (Linux, 64-bit off_t): short l_type, short l_whence, off_t l_start, off_t l_len,
    # pid_t l_pid, in the C compiler's layout ("@": native alignment; "0q" pads the end as C does).
    # struct, not ctypes: ctypes costs every command ~5 ms of imports (issue 15).
    _FLOCK = "@hhqqi0q"

    def __init__(self) -> None:
        import fcntl

        self._fcntl = fcntl
        self._kinds = {"sh": fcntl.F_RDLCK, "ex": fcntl.F_WRLCK, "un": fcntl.F_UNLCK}

    def set(self, fd: int, offset: int, mode: str) -> bool:
        request = struct.pack(self._FLOCK, self._kinds[mode], os.SEEK_SET, offset, 1, 0)
        try:
            self._fcntl.fcntl(fd, self._fcntl.F_OFD_SETLK, request)  # type: ignore[attr-defined]
        except (BlockingIOError, PermissionError):  # EAGAIN / EACCES: someone else holds it
            return False
        return True


class _FlockPrimitive(Primitive):
    """No byte ranges: ``flock`` on the whole file for the window byte only."""

    checks_use = False

    def open(self, path: Path) -> int:
        return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def set(self, fd: int, offset: int, mode: str) -> bool:
        import fcntl

        if offset != WINDOW_BYTE:
            return True
        op = {"sh": fcntl.LOCK_SH, "ex": fcntl.LOCK_EX, "un": fcntl.LOCK_UN}[mode]
        try:
            fcntl.flock(fd, op | (fcntl.LOCK_NB if mode != "un" else 0))
        except BlockingIOError:
            return False
        return True


class _WindowsPrimitive(Primitive):  # pragma: no cover - exercised on Windows only
    def set(self, fd: int, offset: int, mode: str) -> bool:
        import ctypes
        import msvcrt
        from ctypes import wintypes

        class Overlapped(ctypes.Structure):
            _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                        ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD), ("hEvent", wintypes.HANDLE)]

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))  # type: ignore[attr-defined]
        ov = Overlapped(0, 0, offset & 0xFFFFFFFF, offset >> 32, None)
        if mode == "un":
            kernel32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(ov))
            return True
        # LockFileEx cannot convert a lock: shared <-> exclusive goes through unlocked.
        kernel32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(ov))
        flags = 0x1  # LOCKFILE_FAIL_IMMEDIATELY
        if mode == "ex":
            flags |= 0x2  # LOCKFILE_EXCLUSIVE_LOCK
        return bool(kernel32.LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(ov)))


def _primitive() -> Primitive:
    if sys.platform == "win32":
        return _WindowsPrimitive()
    import fcntl

    if hasattr(fcntl, "F_OFD_SETLK"):
        return _OfdPrimitive()
    return _FlockPrimitive()


PRIMITIVE: Primitive = _primitive()
