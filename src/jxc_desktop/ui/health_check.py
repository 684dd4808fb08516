"""The full check of the data file, in the background after start-up and on demand.

Opening the file checks only its header, id, revision and schema (milliseconds); ``PRAGMA integrity_check``
(which also compares every index with its table) takes seconds on a big shop, so it runs off the GUI
thread a moment after the window is up (ui/tasks.py ``run_in_background``). When it finds damage,
the database refuses every write from then on (``Database.mark_damaged``), the status bar says so
in red and a dialog offers the repair: restore the newest good backup, and first export the
products that can still be read. The verdict is kept beside the file (db/damage_mark.py), so ``jxc``
and the next start refuse writes too; a check that passes removes it. File → Check the data file
runs it again now and says the result. Closing the window interrupts a check still running.

The check steps aside for the owner: every :data:`PAUSE_STEPS` steps SQLite calls back, and once a
task the owner started is working (a report, an export, a backup, a restore) the check stops there,
closes its connection, and starts over when the owner's work is done (tasks.wait_while_owner_works)
— in one process the two connections share SQLite's allocator lock, so a year's profit by product
ran 0.1–0.3 s slower beside it. It does not wait inside the check: an open read holds the file's
log, so a restore could not retire it and a checkpoint could not finish. (Only the first part of the
check, SQLite's walk over the pages, about a second per 800 MB, makes no calls back.) Its verdict
is about the file it looked at: when another file was put in place meanwhile, that one is checked.

Skipped when the environment sets ``JXC_NO_BACKGROUND_CHECK=1`` (the test suite does; the tests of
this module start it themselves).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import file_health
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.elided import ElidedLabel

START_DELAY_MS = 2000
PAUSE_STEPS = 10_000  # SQLite steps between looks (~1 ms of the check: 20 000 looks in 20 s at 800 MB)


def background_check_enabled() -> bool:
    return os.environ.get("JXC_NO_BACKGROUND_CHECK", "") != "1"


class HealthCheck(QObject):
    """Runs the full check once after start (and on :meth:`start`); ``damaged`` carries the reason."""

    damaged = Signal(str)
    checked = Signal(object)  # the problems found (an empty list: the file is whole)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.services: Services = window.services
        self.task: Any = None
        self.problems: list[str] | None = None
        self._connections: list[sqlite3.Connection] = []
        self._stopping = False
        self._yielded = False  # the running attempt was stopped for the owner's task
        self._checked: tuple[int, int] | None = None  # the file the running check looks at
        self.status_label = ElidedLabel()
        self.status_label.setStyleSheet("color: #b00020; font-weight: bold")
        self.status_label.setVisible(False)
        window.add_status_widget(self.status_label, permanent=False)
        from PySide6.QtGui import QAction

        self.check_action = QAction(tr("Check the data file"), window)
        self.check_action.triggered.connect(lambda: self.check_now())
        window.file_menu.insertAction(window.quit_action, self.check_action)
        self._tell_result = False
        if background_check_enabled():
            QTimer.singleShot(START_DELAY_MS, self.start)

    def start(self) -> Any:
        """Start the full check off the GUI thread (nothing when one is running); returns the task."""
        if self.task is not None and not self.task.finished:
            return self.task
        from jxc_desktop.ui.tasks import run_in_background, wait_while_owner_works

        db = self.services.db
        self._connections = []
        self._stopping = False

        def work(_progress: Any) -> list[str]:
            while True:
                self._yielded = False
                try:
                    return file_health.full_check(db, on_connect=self._connected)
                except DatabaseError:
                    if not self._yielded or self._stopping:
                        raise  # could not look (busy), or the window is closing
                # stopped for the owner's task: no connection open while it works
                wait_while_owner_works(lambda: self._stopping)

        self.task = run_in_background(self.window, work, self._done, self._failed, self._interrupt)
        return self.task

    def check_now(self) -> Any:
        """On demand (the menu): run the full check and say the result when it ends."""
        self._tell_result = True
        self.window.statusBar().showMessage(tr("Checking the data file…"), 5000)
        return self.start()

    def _connected(self, con: sqlite3.Connection) -> None:
        self._connections = [con]  # an attempt stopped for the owner closed its own
        self._checked = _identity(self.services.db.path)  # the file this attempt looks at
        con.set_progress_handler(self._step_aside, PAUSE_STEPS)

    def _step_aside(self) -> int:
        """SQLite's call back during the check (on its thread): stop it (non-zero) while a task of
        the owner's works; work() starts it over afterwards."""
        from jxc_desktop.ui.tasks import owner_is_working

        if owner_is_working():
            self._yielded = True
            return 1
        return 0

    def _interrupt(self) -> None:
        self._stopping = True
        for con in self._connections:
            con.interrupt()

    def _failed(self, _exc: BaseException) -> bool:
        if self._tell_result:  # asked for: say it could not look (busy); it says nothing about damage
            self._tell_result = False
            return False  # the runner shows the standard message
        return True  # could not look (busy, interrupted): says nothing about damage; try next start

    def _done(self, problems: list[str]) -> None:
        if _identity(self.services.db.path) != self._checked:
            # Another file was put in place while the check looked (a restore in its first second,
            # before SQLite first calls back): its verdict is about the file that went. Check the
            # one there now instead.
            self.start()
            return
        self.problems = problems
        self.checked.emit(problems)
        told, self._tell_result = self._tell_result, False
        if problems:
            reason = file_health.mark_damaged(self.services.db, problems)
            self.refresh_status()
            self.damaged.emit(reason)
            self.offer_repair(reason)
            return
        file_health.mark_whole(self.services.db)  # an older verdict of damage is outdated
        self.refresh_status()
        if told:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Information, tr("Check the data file"),
                              tr("The data file was checked in full and is whole."),
                              QMessageBox.StandardButton.Ok, self.window)
            self.result_box = box  # kept: shown without blocking (open, not exec)
            box.open()

    def refresh_status(self) -> None:
        """The red status-bar line while the file is known to be damaged (a restore clears it)."""
        damaged = self.services.db.damage is not None
        self.status_label.setVisible(damaged)
        self.status_label.setText(tr("⚠ The data file is damaged: nothing can be saved. Restore a backup "
                                     "(File → Restore).") if damaged else "")

    def offer_repair(self, reason: str) -> QWidget:
        from jxc_desktop.ui.dialogs.damaged_file_dialog import DamagedNowDialog

        dlg = DamagedNowDialog(self.window, reason)
        self.repair_dialog = dlg
        dlg.open()
        return dlg


def _identity(path: Path | None) -> tuple[int, int] | None:
    """Which file is at ``path`` (a restore renames another one over it)."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def install(window: Any) -> HealthCheck:
    check = HealthCheck(window)
    window.health = check
    return check
