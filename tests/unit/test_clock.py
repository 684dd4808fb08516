"""The one clock: JXC_NOW moves it (naive = local time), it runs on from there, and processes
sharing JXC_NOW_ANCHOR read the same moment."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from jxc_desktop.domain import clock


def test_real_clock_without_jxc_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.NOW_ENV, raising=False)
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(seconds=5)


def test_moved_clock_starts_at_the_instant_and_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.NOW_ENV, "2028-02-29T23:55:00+08:00")
    monkeypatch.setenv(clock.ANCHOR_ENV, repr(time.time()))
    first = clock.utcnow()
    assert timedelta(0) <= first - datetime(2028, 2, 29, 15, 55, tzinfo=UTC) < timedelta(seconds=5)
    time.sleep(0.02)
    assert clock.utcnow() > first
    assert clock.local_today() == clock.local_day(first)


def test_naive_instant_is_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.NOW_ENV, "2027-01-01T00:05")
    monkeypatch.setenv(clock.ANCHOR_ENV, repr(time.time()))
    assert clock.local_today() == date(2027, 1, 1)
    assert clock.local_now().hour == 0


def test_a_child_process_reads_the_same_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    anchor = time.time() - 3600  # the run "started" an hour ago
    monkeypatch.setenv(clock.NOW_ENV, "2026-12-07T00:05:00+00:00")
    monkeypatch.setenv(clock.ANCHOR_ENV, repr(anchor))
    out = subprocess.run([sys.executable, "-c", "from jxc_desktop.domain import clock; print(clock.utcnow().isoformat())"],
                         capture_output=True, text=True, check=True).stdout
    child = datetime.fromisoformat(out.strip())
    assert timedelta(minutes=59) < child - datetime(2026, 12, 7, 0, 5, tzinfo=UTC) < timedelta(minutes=61)
    assert abs(child - clock.utcnow()) < timedelta(seconds=30)


def test_a_bad_instant_is_refused() -> None:
    with pytest.raises(ValueError):
        clock.parse_instant("next tuesday")
