"""Peak resident memory of the reports tab through the owner's tour (issue 15, budget 300 MB):
profit by product over the file's year of sales, then slow movers, then best sellers, each run
through the tab as a click runs it (off the GUI thread, shown in the table and the chart).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src .venv/bin/python benchmarks/bench_reports_memory.py \\
        --db SALES.sqlite3 [--json]

Run it on a COPY of the 1 M-line file (opening upgrades it). RSS is sampled every 20 ms by a thread
(psutil) while each report runs and shows; printed: the RSS after each step and the peak.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import psutil


class Sampler:
    """The process's highest RSS, sampled in the background."""

    def __init__(self) -> None:
        self.proc = psutil.Process(os.getpid())
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.02)

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)

    def now(self) -> int:
        return self.proc.memory_info().rss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    first, last = (date.fromisoformat(d) for d in
                   con.execute("SELECT min(business_day), max(business_day) FROM sale_line").fetchone())
    con.close()

    from PySide6.QtWidgets import QApplication

    from jxc_desktop.cli.context import CliContext
    from jxc_desktop.domain.periods import PeriodKind
    from jxc_desktop.services.reporting.dto import ReportKind
    from jxc_desktop.ui.reports_tab import ReportsTab

    app = QApplication.instance() or QApplication([])
    sampler = Sampler().start()
    services = CliContext(str(args.db)).open()
    tab = ReportsTab(services, today=lambda: last)
    tab.resize(1200, 800)
    tab.show()
    steps: list[dict[str, object]] = []

    def run(label: str, kind: ReportKind, by: str = "") -> None:
        done = threading.Event()
        tab.loaded.connect(lambda *_a: done.set())
        start = time.monotonic()
        tab.report_box.setCurrentIndex(tab.report_box.findData(str(kind)))
        if by:
            tab.group_box.setCurrentIndex(tab.group_box.findData(by))
        if kind is not ReportKind.SLOW:
            tab.set_period(PeriodKind.CUSTOM, first, last)
        tab.run_report()
        while not done.is_set():
            app.processEvents()
            time.sleep(0.005)
        tab.loaded.disconnect()
        for _ in range(20):  # let the view and the chart paint
            app.processEvents()
        rows = len(tab.table.rows) if tab.table is not None else 0
        steps.append({"step": label, "rows": rows, "seconds": round(time.monotonic() - start, 2),
                      "rss_mb": round(sampler.now() / 2**20), "peak_mb": round(sampler.peak / 2**20)})

    run("profit by product", ReportKind.PROFIT, "product")
    run("slow movers", ReportKind.SLOW)
    run("best sellers", ReportKind.BEST)
    sampler.stop()
    result = {"db": str(args.db), "steps": steps, "peak_rss_mb": round(sampler.peak / 2**20)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for s in steps:
            print(f"{s['step']:<20} {s['rows']:>7} rows {s['seconds']:>6} s  rss {s['rss_mb']} MB  peak so far "
                  f"{s['peak_mb']} MB")
        print(f"peak RSS through the tour: {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
