"""The stock and count tabs at 100 000 products (real widgets, offscreen): how long the stock
list takes to show each filter, and the count tab to load and scan with a 100 000-line count open.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_stock_tabs.py [--db FILE] [--runs 3]

Works on a private copy of the database. Prints medians (wall ms) per action.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.stock.stock_view import StockFilter  # noqa: E402
from jxc_desktop.ui.count_tab import CountTab  # noqa: E402
from jxc_desktop.ui.stock_tab import StockTab  # noqa: E402

DEFAULT_DB = Path("/work/bench/products100k.sqlite3")


def timed(app: QApplication, fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    app.processEvents()  # the view paints the first rows (the lazy models fetch them here)
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not args.db.is_file():
        print(f"no database at {args.db}: run benchmarks/make_db.py first", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv)
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(args.db, copy)
        s = Services(Database.for_file(copy))
        stock = StockTab(s)
        stock.resize(1300, 800)
        stock.show()
        count_tab = CountTab(s)
        count_tab.resize(1300, 800)
        count_tab.show()
        count = s.stock_count.open()
        barcodes = [ln.barcode for ln in s.stock_count.lines(count.id, limit=50) if ln.barcode]
        for _ in range(args.runs):
            results.setdefault("stock tab: refresh (all products)", []).append(timed(app, stock.refresh))
            for f in (StockFilter.BELOW_MIN, StockFilter.EXPIRING, StockFilter.NEGATIVE, StockFilter.ALL):
                results.setdefault(f"stock tab: filter {f}", []).append(
                    timed(app, lambda f=f: stock.show_filter(f)))
            results.setdefault("stock tab: scroll to the end", []).append(
                timed(app, lambda: stock.table.scrollToBottom()))
            results.setdefault("count tab: refresh (100 000-line count)", []).append(
                timed(app, count_tab.refresh))
            for code in barcodes[:10]:
                results.setdefault("count tab: one scan (service call + row update)", []).append(
                    timed(app, lambda c=code: count_tab.scan(c)))
            results.setdefault("count tab: filter 'not counted yet'", []).append(
                timed(app, lambda: count_tab.filter.setCurrentIndex(count_tab.filter.findData("uncounted"))))
            count_tab.filter.setCurrentIndex(0)
        for widget in (stock, count_tab):
            widget.close()
            widget.deleteLater()
        app.processEvents()
        s.db.dispose()
    print(f"stock tabs benchmark: {args.db}, {args.runs} runs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'what':<50}{'median ms':>11}{'worst ms':>10}")
    for kind, samples in results.items():
        print(f"{kind:<50}{statistics.median(samples):>11.1f}{max(samples):>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
