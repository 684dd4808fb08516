"""Background work (the full check after start) runs at a lower CPU priority, so on a two-core
machine it does not slow what the owner waits for; work the owner waits for (a report, an import)
keeps the window's priority. Checked by the nice value the operating system reports to the thread."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from jxc_desktop.ui.tasks import BACKGROUND_NICENESS, Task, run_in_background, run_task

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread is Linux's")


def _nice_of_this_thread(_progress: Any) -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _nice_in(qtbot, start: Any) -> int:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    got: list[int] = []
    task: Task = start(parent, _nice_of_this_thread, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=30_000)
    assert task.finished
    return got[0]


def test_background_work_runs_at_a_lower_priority(qtbot) -> None:  # type: ignore[no-untyped-def]
    here = _nice_of_this_thread(None)
    nice = _nice_in(qtbot, lambda parent, work, done: run_in_background(parent, work, done))
    assert nice == min(19, here + BACKGROUND_NICENESS)
    assert _nice_of_this_thread(None) == here  # the window's own thread is left as it was


def test_work_the_owner_waits_for_keeps_the_priority(qtbot) -> None:  # type: ignore[no-untyped-def]
    here = _nice_of_this_thread(None)
    assert _nice_in(qtbot, lambda parent, work, done: run_task(parent, "report", work, done)) == here
