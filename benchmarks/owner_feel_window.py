"""The child side of benchmarks/owner_feel.py: runs inside the program measured (PYTHONPATH = the
source tree under test) and prints one line ``OWNER_FEEL_JSON {...}`` for the parent.

    python benchmarks/owner_feel_window.py ready --db FILE    cold start for a tree without the marker
    python benchmarks/owner_feel_window.py tour --db FILE --steps d,e[,c]
    python benchmarks/owner_feel_window.py receipt-bare --db FILE

``ready`` and ``tour`` start the real window through ``jxc_desktop.app.main`` (the user's start-up
path); the hook wraps ``app.build_window`` and queues its mark after the window's own first-tab
load, the same moment the app's ``JXC_READY_FILE`` marker is written. Only the standard library and
the tree's own modules are used, so the same file drives the old tree and the new one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PREFIX = "OWNER_FEEL_JSON "
IDLE_AFTER_READY_S = 5.0  # the app warms things up in the background after it shows (3 s on main)


def emit(result: dict[str, Any]) -> None:
    print(PREFIX + json.dumps(result, ensure_ascii=False), flush=True)


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """The high-water mark of resident memory (Linux VmHWM; ru_maxrss elsewhere)."""
    return max(_status_mb("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, current_rss_mb())


def current_rss_mb() -> float:
    return _status_mb("VmRSS")


def start_window(db: str, then: Callable[[Any], None]) -> int:
    """Open the window on ``db`` through app.main; ``then(window)`` runs once it is ready for a scan."""
    from PySide6.QtCore import QTimer

    from jxc_desktop import app

    real_build = app.build_window

    def build(services: Any, db_path: Path) -> Any:
        window = real_build(services, db_path)
        QTimer.singleShot(0, lambda: then(window))  # runs after show() and the first tab's load
        return window

    app.build_window = build  # type: ignore[assignment]
    return int(app.main(["--db", db]))


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


# ---------------------------------------------------------------------- (d) receipts


def sale_numbers(db: str, n: int) -> list[str]:
    """Recent sales with the most lines (a till receipt of a full basket)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        top = con.execute("SELECT MAX(id) FROM sale").fetchone()[0] or 0
        rows = con.execute(
            "SELECT s.number FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE s.id > ? AND s.kind = 'sale' "
            "GROUP BY s.id ORDER BY COUNT(*) DESC, s.id DESC LIMIT ?", (top - 5000, n)).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def time_receipts(services: Any, db: str, later: int = 20) -> dict[str, Any]:
    from jxc_desktop.reports.receipt import receipt_pdf  # the module the till prints with

    numbers = sale_numbers(db, later + 1)
    if not numbers:
        return {"error": "no sale in the file"}
    sales = [services.checkout.get_sale(n) for n in numbers]
    times, cpu = [], []
    for sale in sales:
        t0, c0 = time.perf_counter(), time.thread_time()
        receipt_pdf(sale, services.checkout.shop_info())  # what checkout_receipts does per sale
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)  # this thread's CPU: what a loaded machine distorts least
    return {"first_ms": round(times[0], 1), "later_median_ms": round(statistics.median(times[1:]), 1)
            if len(times) > 1 else None, "later_max_ms": round(max(times[1:]), 1) if len(times) > 1 else None,
            "first_cpu_ms": round(cpu[0], 1),
            "later_cpu_median_ms": round(statistics.median(cpu[1:]), 1) if len(cpu) > 1 else None,
            "lines": len(sales[0].lines), "later_n": len(times) - 1}


def receipt_bare(db: str) -> dict[str, Any]:
    """The first receipt of a process that has not shown a window (fonts and templates not warmed)."""
    from jxc_desktop.db.uow import Database
    from jxc_desktop.services.hub import Services

    services = Services(Database.for_file(Path(db)))
    # One ORM read first, as any process that posts a sale has made: since session 17 a sale is read
    # back by SQL text, so the ORM's first query (its mappers configured, ~0.1 s) would otherwise land
    # in the timed shop_info() of the first receipt.
    services.settings.get("shop_name")
    try:
        return time_receipts(services, db)
    finally:
        services.db.dispose()


# ---------------------------------------------------------------------- (e) the reports tour


def twelve_months(today: date) -> tuple[date, date]:
    return today - timedelta(days=364), today


def report_tour(window: Any) -> dict[str, Any]:
    """Every report kind × every grouping in the real reports tab, over 12 months (rank: all rows where
    the report lets the owner choose), waiting for each table to be shown. Peak RSS over the tour."""
    from PySide6.QtCore import QEventLoop, QTimer

    from jxc_desktop.domain.clock import local_today
    from jxc_desktop.domain.periods import PeriodKind

    tab = window.show_tab("reports")
    wait(50)
    first, last = twelve_months(local_today())
    rss_before = current_rss_mb()
    runs: list[dict[str, Any]] = []
    for ri in range(tab.report_box.count()):
        tab.report_box.setCurrentIndex(ri)
        groupings = [tab.group_box.itemData(i) for i in range(tab.group_box.count())] or [None]
        for gi, key in enumerate(groupings):
            if key is not None:
                tab.group_box.setCurrentIndex(gi)
            if tab.rank_box.isEnabled() and not tab.spec().always_ranked:
                tab.rank_box.setCurrentIndex(tab.rank_box.findData("all"))
            if tab.period_box.isEnabled():
                tab.set_period(PeriodKind.CUSTOM, first, last)
            loop = QEventLoop()
            got: list[Any] = []

            def done(table: Any, got: list[Any] = got, loop: QEventLoop = loop) -> None:
                got.append(table)
                loop.quit()

            tab.loaded.connect(done)
            t0 = time.perf_counter()
            tab.run_report()  # what the Refresh button does (the 150 ms debounce is not counted)
            QTimer.singleShot(600_000, loop.quit)
            loop.exec()
            tab.loaded.disconnect(done)
            wait(0)
            result = got[0] if got else None
            rows = len(getattr(result, "rows", ()) or ()) if result is not None and not isinstance(
                result, BaseException) else None
            runs.append({"report": tab.report_box.currentData(), "by": key or "", "seconds": round(
                time.perf_counter() - t0, 3), "rows": rows, "rss_mb": round(current_rss_mb(), 1),
                "error": repr(result) if isinstance(result, BaseException) or result is None else ""})
            print(f"  tour: {runs[-1]}", file=sys.stderr, flush=True)
            # Let go of the table shown: the tab drops its own before it builds the next report, and a
            # harness holding it would measure two reports at once (as it did before session 8).
            del result
            got.clear()
    return {"runs": runs, "rss_before_mb": round(rss_before, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
            "rss_after_mb": round(current_rss_mb(), 1), "period": [first.isoformat(), last.isoformat()]}


# ---------------------------------------------------------------------- (c) the filter, typed (fallback)


def filter_queries(db: str) -> tuple[list[str], list[str], list[str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        n = con.execute("SELECT COUNT(*) FROM product WHERE active").fetchone()[0]
        rows = con.execute("SELECT name, pinyin, code FROM product WHERE active AND id % ? = 0 ORDER BY id",
                           (max(1, n // 60),)).fetchall()
    finally:
        con.close()
    rng = random.Random(3)
    pinyin = [p[: rng.randint(2, 4)] for _n, p, _c in rows if p][:60]
    names = [n[i:i + 2] for n, _p, _c in rows for i in [rng.randrange(max(1, len(n) - 1))]][:60]
    # Product codes typed from their start, as the owner types a code (sampled after the others, so
    # the pinyin and name queries stay those of earlier runs).
    codes = [c[: rng.randint(2, 4)] for _n, _p, c in rows if c][:20]
    return pinyin, names, codes


def typed_filter(window: Any, db: str) -> dict[str, Any]:
    """Type each query key by key into the products tab's search box; per key, time from the key
    press to the rows painted, running the debounce timer's slot at once (its wait is not counted)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    def press(ch: str) -> None:  # a key event carrying the character (QTest's keys are ASCII only)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(tab.search, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    tab = window.show_tab("products")
    wait(50)
    debounce = getattr(tab, "_debounce", None)
    out: dict[str, Any] = {"method": "owner_feel_window: key events typed into the products tab's search box",
                           "debounce_ms": debounce.interval() if debounce is not None else None}
    for label, queries in zip(("pinyin", "name", "code"), filter_queries(db), strict=True):
        times: list[float] = []
        cpus: list[float] = []  # CPU of this process per key: what a loaded machine distorts least
        for text in queries:
            tab.search.clear()
            QApplication.processEvents()
            for ch in text:
                t0, c0 = time.perf_counter(), time.process_time()
                press(ch)
                if debounce is not None and debounce.isActive():
                    debounce.stop()
                    tab.apply_filter()
                QApplication.processEvents()
                times.append((time.perf_counter() - t0) * 1000)
                cpus.append((time.process_time() - c0) * 1000)
            QTest.keyClick(tab.search, Qt.Key.Key_Escape)
        times.sort()
        cpus.sort()
        out[label] = {"keys": len(times), "p50_ms": round(statistics.median(times), 1),
                      "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                      "cpu_p50_ms": round(statistics.median(cpus), 1),
                      "cpu_p95_ms": round(cpus[min(len(cpus) - 1, int(0.95 * len(cpus)))], 1)}
    return out


# ---------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("ready", "tour", "receipt-bare"))
    ap.add_argument("--db", required=True)
    ap.add_argument("--steps", default="d,e")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.mode == "receipt-bare":
        emit(receipt_bare(args.db))
        return 0
    if args.mode == "ready":
        marker = os.environ["JXC_READY_FILE"]

        def mark(_window: Any) -> None:
            Path(marker).write_text(f"{time.monotonic():.6f}")

        return start_window(args.db, mark)
    steps = set(args.steps.split(","))

    def tour(window: Any) -> None:
        result: dict[str, Any] = {"ready_rss_mb": round(current_rss_mb(), 1), "idle_after_ready_s": IDLE_AFTER_READY_S}
        wait(int(IDLE_AFTER_READY_S * 1000))
        for step, key, run in (("d", "receipt_in_window", lambda: time_receipts(window.services, args.db)),
                               ("c", "filter", lambda: typed_filter(window, args.db)),
                               ("e", "tour", lambda: report_tour(window))):
            if step in steps:
                try:
                    result[key] = run()
                except Exception as exc:  # report it to the parent rather than hang the window
                    result[key] = {"error": repr(exc)}
        emit(result)
        sys.stdout.flush()
        os._exit(0)  # no teardown: nothing to save, and the window's close would ask about backups

    return start_window(args.db, tour)


if __name__ == "__main__":
    raise SystemExit(main())
