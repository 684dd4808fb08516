"""Long work (import, export, demo data, backups) off the GUI thread, with a cancellable progress dialog.

``run_task(parent, title, work, on_done)`` runs ``work(progress)`` in a QThread. ``progress(done, total)``
updates the dialog and raises :class:`Cancelled` once the user pressed Cancel, so the service stops
where it is (services write all-or-nothing, so a cancelled import leaves nothing behind). What
the work committed is published on the change bus (ui/changes.py) before ``on_done`` runs.

``run_in_background(parent, work, on_done, on_cancel=...)`` is the same without a dialog, for
checks the user need not wait for (the full integrity check after start): it does not keep the
window from closing — :func:`stop_background_tasks` cancels it (``on_cancel`` interrupts the work) —
and its thread runs at a lower CPU priority, on what the owner's own work leaves of the CPU.

A lower priority is not enough for SQLite work in the same process: two connections of one process
share SQLite's allocator lock, so a background integrity check slowed a year's profit by product in
the reports tab by 0.1–0.3 s on a free second core. Background work that can stop between steps
looks at :func:`owner_is_working`, stops, and waits in :func:`wait_while_owner_works` until the task
the owner started is done (ui/health_check.py: without holding the file open meanwhile).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from jxc_desktop.ui.changes import flush_all
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.i18n import tr

BACKGROUND_NICENESS = 10  # added to a background thread's nice value (Linux): ~1/10 of a busy core's time


def _yield_cpu() -> None:
    """Lower the calling thread's CPU priority (Linux: the nice value is per thread). The full check
    of a big file after each start is ~20 s of CPU: at normal priority it halved the speed of a
    year's report on a two-core machine; niced, it takes what the owner's work leaves — yet still
    gets a share under full load (SCHED_IDLE would starve it), so a check always ends."""
    if not sys.platform.startswith("linux"):
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):  # not allowed here: the work runs as it is
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + BACKGROUND_NICENESS))


_owner_work = 0  # tasks the owner started (not background ones) whose work is running now
_owner_quiet = threading.Condition()


@contextlib.contextmanager
def _owner_working() -> Iterator[None]:
    global _owner_work
    with _owner_quiet:
        _owner_work += 1
    try:
        yield
    finally:
        with _owner_quiet:
            _owner_work -= 1
            _owner_quiet.notify_all()


def owner_is_working() -> bool:
    return _owner_work > 0


def wait_while_owner_works(stopped: Callable[[], bool], poll_s: float = 0.1) -> None:
    """Block the calling (background) thread while a task the owner started is working, so that
    it gets the machine — and SQLite — to itself; returns at once when none is, or when ``stopped()``
    (looked at every ``poll_s``) says the background work is being cancelled."""
    with _owner_quiet:
        while _owner_work > 0 and not stopped():
            _owner_quiet.wait(poll_s)


class Cancelled(Exception):
    """Raised inside the worker from the progress callback when the user cancelled."""


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Callable[..., None]], Any], background: bool = False) -> None:
        super().__init__()
        self._work = work
        self.background = background
        self.cancel_event = threading.Event()

    def progress(self, done: int = 0, total: int | None = None, *_rest: Any) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()
        self.progressed.emit(int(done), int(total) if total is not None else 0)

    @Slot()
    def run(self) -> None:
        if self.background:
            _yield_cpu()
        try:
            with contextlib.nullcontext() if self.background else _owner_working():
                result = self._work(self.progress)
        except BaseException as exc:  # reported on the GUI thread
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class Task(QObject):
    """One running task; keeps the thread, worker and dialog alive until it ends."""

    done = Signal(object)  # result, or the exception when it failed / was cancelled

    def __init__(self, parent: QWidget | None, title: str, work: Callable[[Callable[..., None]], Any],
                 on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], bool] | None = None, *,
                 background: bool = False, on_cancel: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._on_done = on_done
        self._on_error = on_error
        self._on_cancel = on_cancel
        self.background = background
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished = False
        self.dialog: QProgressDialog | None = None
        if not background:
            self.dialog = QProgressDialog(title, tr("Cancel"), 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
        self._thread = QThread()
        self._worker = _Worker(work, background)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progress)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        if self.dialog is not None:
            self.dialog.canceled.connect(self.cancel)

    def start(self) -> Task:
        _running.add(self)
        # Background work: a lower priority as the platform gives it to one thread (on Linux
        # _Worker.run renices its own thread: Qt's priorities there are SCHED_IDLE or nothing).
        self._thread.start(QThread.Priority.LowestPriority if self.background else QThread.Priority.InheritPriority)
        return self

    def cancel(self) -> None:
        self._worker.cancel_event.set()
        if self._on_cancel is not None:
            self._on_cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(tr("Stopping…"))

    def wait(self, ms: int = 30000) -> None:
        self._thread.wait(ms)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if total > 0 and self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _end(self) -> None:
        self._thread.quit()
        self._thread.wait()
        if self.dialog is not None:
            self.dialog.close()
        self.finished = True
        _running.discard(self)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end()
        self.result = result
        flush_all()  # what the work wrote: the views refresh before on_done looks at them
        if self._on_done is not None:
            self._on_done(result)
        self.done.emit(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._end()
        self.error = exc
        flush_all()  # a failed task may have committed part of its work (each step its own commit)
        handled = self._on_error(exc) if self._on_error is not None else False
        if not handled and not isinstance(exc, Cancelled):
            show_error(self._parent, exc)
        self.done.emit(exc)


_running: set[Task] = set()


def running_tasks() -> list[Task]:
    """Tasks still working (the main window will not close while one runs); background checks
    do not count (see :func:`stop_background_tasks`)."""
    return [t for t in _running if not t.finished and not t.background]


def stop_background_tasks(ms: int = 30000) -> None:
    """Cancel the background tasks (the window is closing) and wait for their threads to end."""
    for task in [t for t in _running if not t.finished and t.background]:
        task.cancel()
        task.wait(ms)


def run_in_background(parent: QWidget | None, work: Callable[[Callable[..., None]], Any],
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], bool] | None = None,
                      on_cancel: Callable[[], None] | None = None) -> Task:
    """Start ``work(progress)`` off the GUI thread with no progress dialog (see the module doc)."""
    return Task(parent, "", work, on_done, on_error, background=True, on_cancel=on_cancel).start()


def run_task(parent: QWidget | None, title: str, work: Callable[[Callable[..., None]], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], bool] | None = None) -> Task:
    """Start ``work(progress)`` off the GUI thread; ``on_error`` returns True when it showed the error."""
    return Task(parent, title, work, on_done, on_error).start()
