"""The reports tab's column widths (ui/report_widths.fit_columns, issue 15): time this tree's
``fit_columns`` against another tree's (``--old-src``, e.g. main's) on the same table in the same
view, interleaved, and check that both give the same widths.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src .venv/bin/python benchmarks/bench_report_widths.py \\
        --db COPY.sqlite3 --old-src /path/to/main/src [--runs 7] [--by product,day,category] [--all]

The tables are a year of profit (the file's last 365 days of sales) grouped by each ``--by``; with
``--all`` every report and grouping the tab offers is compared as well (not timed). Run it on a COPY
(opening upgrades it). Exit status 1 when any widths differ.
"""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType


def load_old(src: Path) -> ModuleType:
    """The other tree's report_widths module, loaded beside this tree's (it imports this tree's dto)."""
    path = src / "jxc_desktop" / "ui" / "report_widths.py"
    spec = importlib.util.spec_from_file_location("old_report_widths", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--old-src", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--by", default="product,day,category")
    ap.add_argument("--all", action="store_true", help="also compare every report and grouping of the tab")
    args = ap.parse_args(argv)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    last = date.fromisoformat(con.execute("SELECT max(business_day) FROM sale_line").fetchone()[0])
    con.close()
    first = last - timedelta(days=364)

    from PySide6.QtWidgets import QTableView

    from jxc_desktop.app import make_app
    from jxc_desktop.cli.context import CliContext
    from jxc_desktop.domain.periods import PeriodKind
    from jxc_desktop.services.reporting import catalogue
    from jxc_desktop.services.reporting.dto import ReportKind, ReportTable
    from jxc_desktop.ui.report_widths import fit_columns

    old_fit = load_old(args.old_src).fit_columns
    app = make_app([])  # as the program makes it: with the reference margin of ui/qt_compat.py
    services = CliContext(str(args.db)).open()
    from jxc_desktop.ui.reports_tab import ReportsTab

    tab = ReportsTab(services, today=lambda: last)  # never shown: it runs nothing by itself
    tab.resize(1200, 800)
    view: QTableView = tab.view

    def table_for(kind: ReportKind, by: str) -> ReportTable:
        tab.report_box.setCurrentIndex(tab.report_box.findData(str(kind)))
        if by:
            tab.group_box.setCurrentIndex(tab.group_box.findData(by))
        tab.set_period(PeriodKind.CUSTOM, first, last)
        table = services.reports.table(tab.request())
        tab.model.set_table(table)
        return table

    def widths_by(fit: Callable[[QTableView, ReportTable], None], table: ReportTable) -> tuple[float, list[int]]:
        for c in range(len(table.columns)):
            view.setColumnWidth(c, 5)
        t = time.perf_counter()
        fit(view, table)
        took = time.perf_counter() - t
        return took, [view.columnWidth(c) for c in range(len(table.columns))]

    differ = 0
    for by in filter(None, args.by.split(",")):
        table = table_for(ReportKind.PROFIT, by)
        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(args.runs):
            for label, fit in (("old", old_fit), ("new", fit_columns)):
                took, widths = widths_by(fit, table)
                times[label].append(took)
                if label == "old":
                    expected = widths
                elif widths != expected:
                    differ += 1
                    print(f"  DIFFER profit by {by}: old {expected} new {widths}")
        old, new = (statistics.median(times[k]) for k in ("old", "new"))
        print(f"profit by {by}: {len(table.rows)} rows x {len(table.columns)} columns; fit old {old:.4f} s, "
              f"new {new:.4f} s ({old / new:.1f}x), median of {args.runs}; widths {expected}")
    if args.all:
        for spec in catalogue.REPORTS:
            for by in [g.key for g in spec.groupings] or [""]:
                try:
                    table = table_for(spec.kind, by)
                except Exception as exc:  # a report this file cannot answer: said, not compared
                    print(f"{spec.kind} {by}: skipped ({exc})")
                    continue
                _, expected = widths_by(old_fit, table)
                _, widths = widths_by(fit_columns, table)
                same = widths == expected
                differ += not same
                print(f"{spec.kind} {by or '-'}: {len(table.rows)} rows, {'same' if same else 'DIFFER'} {widths}"
                      + ("" if same else f" old {expected}"))
    app.processEvents()
    print("widths differ" if differ else "widths identical everywhere", flush=True)
    # The tab and its model go before the application (Python's exit order is not Qt's), and the
    # file is let go as the window lets it go.
    tab.deleteLater()
    app.processEvents()
    services.db.dispose()
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
