"""Typing into the products tab's filter box, timed as the owner feels it (bench_products_tab.py).

Each key goes to the real QLineEdit as the keyboard would send it (Latin keys as key events, CJK as
input-method commit strings, the way an IME delivers them), at a typist's pace: one key every
GAP_S seconds. The clock runs from the moment the key is pressed until the table model holds the
rows of the new text and the view has painted them. Whatever the tab does in between (a debounce
timer, the id query, the first page of rows, the repaint) is inside the figure, and so is any work
left over from the key before (e.g. reading the rest of a long list) that is still running when
the key is pressed: the key waits for it as it would in the window.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

# (kind, keystrokes): one entry per key event; a CJK entry is one IME commit (a word or a character).
QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pinyin", tuple("wahaha")),
    ("pinyin", tuple("whh")),
    ("pinyin", tuple("niunai")),
    ("pinyin", tuple("ksf")),
    ("pinyin", tuple("kangshifu")),
    ("pinyin", tuple("hly")),
    ("name", ("牛", "奶")),
    ("name", ("牛奶",)),
    ("name", ("纯", "牛")),
    ("name", ("纯牛",)),
    ("name", ("康师傅",)),
    ("name", ("薯", "片")),
    ("name", ("矿泉水",)),
    ("code", tuple("012345")),
    ("code", tuple("0998")),
)


GAP_S = 0.15  # a quick typist: about 7 keys a second


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def _send_key(line_edit: Any, key: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    if key.isascii():
        QTest.keyClick(line_edit, key, Qt.KeyboardModifier.NoModifier)
    else:
        event = QInputMethodEvent()
        event.setCommitString(key)
        QApplication.sendEvent(line_edit, event)


def _wait_for(tab: Any, qapp: Any, text: str, timeout_s: float) -> None:
    """Run the event loop until the model holds the rows of ``text`` (a debounce timer, if any,
    fires here). An event loop, not a processEvents() spin: PySide6 6.12's processEvents drops a
    reference to None on each call, and thousands of calls abort Python 3.11."""
    from PySide6.QtCore import QEventLoop, QTimer

    if tab.model.filter_text() == text:
        return
    loop = QEventLoop()

    def check() -> None:
        if tab.model.filter_text() == text:
            loop.quit()

    # A model that keeps the rows it holds when the new text lists the very same ones (no reset, so
    # nothing to repaint) says "filtered" either way; an older one is reset each time.
    signals = [getattr(tab.model, "filtered", tab.model.modelReset), tab.model.layoutChanged]
    for signal in signals:
        signal.connect(check)
    QTimer.singleShot(round(timeout_s * 1000), loop.quit)
    loop.exec()
    for signal in signals:
        signal.disconnect(check)
    if tab.model.filter_text() != text:
        raise RuntimeError(f"the table never showed {text!r}")


def _run_until(deadline: float) -> None:
    """Let the event loop run (deferred work included) until ``deadline`` (perf_counter). A precise
    timer, then a spin for the last fraction of a millisecond: a coarse one (QTimer.singleShot's)
    returns up to 5 % early, and the key would be sent before the time its clock starts from."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    left_ms = int((deadline - time.perf_counter()) * 1000)
    if left_ms > 0:
        loop = QEventLoop()
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(left_ms)
        loop.exec()
    while time.perf_counter() < deadline:
        pass


def _clear(tab: Any, qapp: Any) -> None:
    tab.search.clear()
    tab.apply_filter()
    qapp.processEvents()
    _run_until(time.perf_counter() + 1.0)  # the whole list read again: not part of the next query


def type_queries(tab: Any, qapp: Any, rounds: int = 1, timeout_s: float = 5.0) -> dict[str, list[float]]:
    """Milliseconds per key, by query kind. The filter box starts empty for each query."""
    out: dict[str, list[float]] = {}
    tab.search.setFocus()
    for _round in range(rounds):
        for kind, keys in QUERIES:
            _clear(tab, qapp)
            typed = ""
            pressed = done = time.perf_counter()
            for key in keys:
                typed += key
                _run_until(pressed)  # the gap between keys: the tab may finish earlier work here
                t0 = max(pressed, done)  # pressed now, or (a slow key before) as soon as it could be
                c0 = time.process_time()
                _send_key(tab.search, key)
                _wait_for(tab, qapp, typed.strip(), timeout_s)
                qapp.processEvents()  # the repaint of the new rows
                done = time.perf_counter()
                out.setdefault(kind, []).append((done - t0) * 1000)
                # CPU time of this process for the key (the figure a loaded machine distorts least;
                # it leaves out waiting for earlier work).
                out.setdefault(f"{kind} (cpu)", []).append((time.process_time() - c0) * 1000)
                pressed += GAP_S
    _clear(tab, qapp)
    return out


def summary(samples: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {kind: {"p50_ms": round(statistics.median(v), 2), "p95_ms": round(pct(v, .95), 2),
                   "max_ms": round(max(v), 2), "keys": len(v)} for kind, v in samples.items()}
