"""Background work (the full check after start) runs at idle CPU priority, so on a two-core machine
it does not slow what the owner waits for; work the owner waits for (a report, an import) keeps the
normal priority. Checked by the scheduling policy the operating system reports to the thread."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from jxc_desktop.ui.tasks import Task, run_in_background, run_task

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_IDLE is Linux's")


def _policy_in(qtbot, start: Any) -> int:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    got: list[int] = []
    task: Task = start(parent, lambda _progress: os.sched_getscheduler(0), got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert task.finished
    return got[0]


def test_background_work_runs_at_idle_priority(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert _policy_in(qtbot, lambda parent, work, done: run_in_background(parent, work, done)) == os.SCHED_IDLE


def test_work_the_owner_waits_for_keeps_the_normal_priority(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert os.sched_getscheduler(0) != os.SCHED_IDLE
    policy = _policy_in(qtbot, lambda parent, work, done: run_task(parent, "report", work, done))
    assert policy == os.sched_getscheduler(0)
