"""Giving freed memory back to the system after a big table is let go (the reports tab).

A report of 100 000 rows is built on a worker thread: CPython frees its objects, but glibc keeps
the freed pages in that thread's malloc arena, so the window's resident memory only ever grows
from report to report. ``malloc_trim`` returns the free pages of every arena. Elsewhere (not
glibc) there is nothing to do: the call is skipped.

PySide6 (6.x) reads the source of every module imported after it (shibokensupport's feature
check, ``inspect.getsource``), which leaves each file's lines in ``linecache``: about 30 MB of
strings in the window, kept for nothing. They are dropped here too; a traceback reads the lines
it needs again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import linecache
import sys
from collections.abc import Callable
from functools import cache


@cache
def _trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def give_back() -> bool:
    """Drop the source lines PySide6 read, then return free heap pages to the system; True when
    the C library could be asked."""
    linecache.clearcache()
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
