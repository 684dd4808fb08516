"""Work-arounds for the Qt binding, in one place.

PySide6 drops a reference to ``True``/``False`` somewhere on a hot path. On Python 3.12+ the bools
are immortal and nothing happens; on 3.11 the count drifts down over a long session (a day at the
till, or a test run with many widgets) until the interpreter aborts at exit with "bool_dealloc:
deallocating True or False". Giving both a large reference margin at start-up makes them as good
as immortal, as 3.12 does.

``None`` drifts the same way (PySide6 6.12 on 3.11): each call of a void method of a Python model —
``beginResetModel``, ``endResetModel``, ``changePersistentIndexList`` — was measured to drop one
reference to it, so a session that reloads many reports aborted at exit with "none_dealloc". It
gets the same margin.
"""

from __future__ import annotations

import ctypes
import sys

_MARGIN = 1 << 30
_done = False


def protect_bools() -> None:
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (True, False, None):
        ctypes.c_ssize_t.from_address(id(obj)).value += _MARGIN  # ob_refcnt is the first field
    _done = True
