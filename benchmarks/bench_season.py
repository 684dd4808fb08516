"""Season and trend reports at 100 000 products and a year of sales (issue 20).

    .venv/bin/python benchmarks/bench_season.py [/work/bench/sales1m.sqlite3] [--runs 5] [--keep-copy DIR]

The file is COPIED first into a temporary folder (or DIR) and only the copy is opened — opening a
file through Database may write (WAL, a schema check) and the big files are shared. Over the
file's whole sales year it times, as medians over ``--runs``: the season table by category
(service + table, what ``jxc report season`` does before printing; budget < 1 s), by product,
ABC by net sales and by gross profit (budget < 2 s), sell-through by category and turnover by
month; and checks each total against the profit summary (net sales, gross profit, COGS).
Exit 1 when a budget is missed or a total disagrees.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain.periods import Period  # noqa: E402
from jxc_desktop.services.reporting.service import ReportsService  # noqa: E402
from jxc_desktop.services.reporting.tables import abc_table, season_table  # noqa: E402

BUDGETS = {"season by category": 1.0, "ABC by net sales": 2.0, "ABC by gross profit": 2.0}


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall-clock and CPU seconds of ``runs`` calls (CPU: the figure a loaded machine
    disturbs least), and the last result."""
    times, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpus), out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", default="/work/bench/sales1m.sqlite3")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep-copy", metavar="DIR", help="copy the file here (kept) instead of a temporary folder")
    args = ap.parse_args(argv)
    source = Path(args.db)
    if not source.is_file():
        print(f"no such file: {source}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(dir=args.keep_copy) as tmp:
        path = Path(args.keep_copy or tmp) / source.name
        if not path.exists():
            shutil.copy2(source, path)
        migrate(path)  # the copy at this program's schema (the reports read its columns); not timed
        return run(path, args.runs)


def run(path: Path, runs: int) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    first, last = con.execute("SELECT MIN(business_day), MAX(business_day) FROM sale").fetchone()
    products, lines = con.execute("SELECT (SELECT COUNT(*) FROM product), (SELECT COUNT(*) FROM sale_line)").fetchone()
    con.close()
    period = Period(date.fromisoformat(first), date.fromisoformat(last))
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    print(f"load average {' '.join(load)} on {os.cpu_count()} CPUs")
    print(f"{path}: {products} products, {lines} sale lines, {period.label()} ({period.days} days)")
    reports = ReportsService(Database.for_file(path))
    whole = reports.profit(period, "day").total  # also warms the page cache
    ok = True
    # (name, run, its total, the profit summary's figure it must equal)
    cases: list[tuple[str, Callable[[], Any], Callable[[Any], int], int]] = [
        ("season by category", lambda: season_table(reports.season(period, "category")),
         lambda t: t.total[t.col("total")], whole.net_sales),
        ("season by product", lambda: season_table(reports.season(period, "product")),
         lambda t: t.total[t.col("total")], whole.net_sales),
        ("ABC by net sales", lambda: abc_table(reports.abc(period, "sales")), lambda t: t.total[3], whole.net_sales),
        ("ABC by gross profit", lambda: abc_table(reports.abc(period, "profit")), lambda t: t.total[3],
         whole.gross_profit),
        ("sell-through by category", lambda: reports.cover(period, "category"), lambda r: r.total.cogs, whole.cogs),
        ("turnover by month", lambda: reports.turnover(period, "month"), lambda r: r.total.cogs, whole.cogs),
    ]
    for name, fn, total_of, expected in cases:
        seconds, cpu, out = median_time(fn, runs)
        agrees = total_of(out) == expected
        budget = BUDGETS.get(name)
        within = budget is None or seconds < budget
        ok &= agrees and within
        print(f"{name:26s} median {seconds * 1000:7.1f} ms (CPU {cpu * 1000:7.1f} ms) over {runs} runs   "
              f"rows {len(out.rows):6d}   total agrees with the profit summary: {agrees}"
              + (f"   budget {budget:.0f} s: {'ok' if within else 'MISSED'}" if budget else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
