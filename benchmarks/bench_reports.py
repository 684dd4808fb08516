"""Report speed on the 100 000-product / 1 000 000-sale-line file (DESIGN §9).

    .venv/bin/python benchmarks/bench_reports.py [/work/bench/sales1m.sqlite3] [--runs 5]

For the profit summary by day and by product over the 12 months of sales it prints the service's
time, the time of bare SQL (sqlite3, no SQLAlchemy, no DTOs) computing the same totals on the same
file, and their ratio (medians over several runs); it checks the two agree to the fen. Then the
by-product PDF (service + table + PDF) and the xlsx time. Budgets: < 1 s, ratio ≤ 1.5, PDF < 3 s.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.reports.report_pdf import render_pdf
from jxc_desktop.services.reporting.service import ReportsService
from jxc_desktop.services.reporting.tables import profit_table
from jxc_desktop.services.reporting.xlsx_export import write_xlsx

# The lines carry their sale's day, kind and status (migration 0004), covered by one index: the
# best plain SQL reads that index range, no join, as the service does.
DAY_LINES = """SELECT business_day, kind, SUM(qty), SUM(amount), SUM(discount), SUM(cost) FROM sale_line
WHERE kind IN ('sale', 'return') AND status = 'posted' AND business_day >= ? AND business_day <= ?
GROUP BY kind, business_day"""
KIND_COUNTS = """SELECT kind, COUNT(*) FROM sale WHERE business_day >= ? AND business_day <= ? AND status = 'posted'
GROUP BY kind"""
DOCS = """SELECT business_day, SUM(kind='sale'), SUM(kind='return') FROM sale
WHERE business_day >= ? AND business_day <= ? AND status = 'posted' GROUP BY business_day"""
MOVES = """SELECT {group}, SUM(CASE WHEN kind='count_gain' THEN value ELSE 0 END),
       SUM(CASE WHEN kind='count_loss' THEN -value ELSE 0 END)
FROM stock_move WHERE doc_type = 'count' AND doc_id IN (SELECT id FROM stock_count WHERE posted_at >= ? AND posted_at < ?)
  AND created_at >= ? AND created_at < ? AND kind IN ('count_gain', 'count_loss') GROUP BY {group}"""


def _utc_text(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _move_args(start: Any, end: Any) -> tuple[str, ...]:
    day = timedelta(days=1)
    return _utc_text(start - day), _utc_text(end + day), _utc_text(start), _utc_text(end)


def bare_by_day(con: sqlite3.Connection, period: Period) -> tuple[int, int, int]:
    """Net sales, COGS and count losses by day with plain SQL; returns the period totals."""
    a, b = period.first.isoformat(), period.last.isoformat()
    start, end = day_bounds_utc(period.first, period.last)
    rows = con.execute(DAY_LINES, (a, b)).fetchall()
    con.execute(DOCS, (a, b)).fetchall()
    off = start.astimezone().utcoffset()
    offset = int(off.total_seconds()) if off is not None else 0
    moves = con.execute(MOVES.format(group=f"substr(datetime(created_at, '{offset:+d} seconds'), 1, 10)"),
                        _move_args(start, end)).fetchall()
    sign = {"sale": 1, "return": -1}
    net = sum(sign[r[1]] * r[3] for r in rows)
    cogs = sum(sign[r[1]] * r[5] for r in rows)
    return net, cogs, sum(m[2] for m in moves)


KIND_LINES = """SELECT product_id, SUM(qty), SUM(amount), SUM(discount), SUM(cost), COUNT(*) FROM sale_line
WHERE business_day >= ? AND business_day <= ? AND status = 'posted' AND kind = ? GROUP BY product_id"""


def bare_by_product(con: sqlite3.Connection, period: Period) -> tuple[int, int, int]:
    """The same aggregates the service runs (sales and returns per product, names joined,
    count moves), as plain sqlite3 with no SQLAlchemy and no row objects."""
    a, b = period.first.isoformat(), period.last.isoformat()
    start, end = day_bounds_utc(period.first, period.last)
    sql = ("SELECT p.code, p.name, c.name, agg.* FROM (" + KIND_LINES + ") agg "
           "JOIN product p ON p.id = agg.product_id LEFT JOIN category c ON c.id = p.category_id")
    sales = con.execute(sql, (a, b, "sale")).fetchall()
    returns = con.execute(KIND_LINES, (a, b, "return")).fetchall()
    moves = con.execute(MOVES.format(group="product_id"), _move_args(start, end)).fetchall()
    con.execute(KIND_COUNTS, (a, b)).fetchall()
    net = sum(r[5] for r in sales) - sum(r[2] for r in returns)
    cogs = sum(r[7] for r in sales) - sum(r[4] for r in returns)
    return net, cogs, sum(m[2] for m in moves)


def paired_times(a: Callable[[], Any], b: Callable[[], Any], runs: int
                 ) -> tuple[float, Any, float, Any, float, float]:
    """Median wall times of ``a`` and ``b`` run alternately (the machine is shared: interleaving
    puts both under the same load), their last results, and their median CPU times (SQLite runs
    in this process, so CPU time shows the work itself, whatever the load)."""
    ta: list[float] = []
    tb: list[float] = []
    ca: list[float] = []
    cb: list[float] = []
    ra = rb = None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        ra = a()
        ta.append(time.perf_counter() - t)
        ca.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        rb = b()
        tb.append(time.perf_counter() - t)
        cb.append(time.process_time() - c)
    med = statistics.median
    return med(ta), ra, med(tb), rb, med(ca), med(cb)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", default="/work/bench/sales1m.sqlite3")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    path = Path(args.db)
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if "business_day" not in {r[1] for r in con.execute("PRAGMA table_info(sale_line)")}:
        print(f"{path} predates migration 0004: migrate a copy first (jxc_desktop.db.migrate.migrate)",
              file=sys.stderr)
        return 2
    first, last, lines = con.execute(
        "SELECT MIN(business_day), MAX(business_day), (SELECT COUNT(*) FROM sale_line) FROM sale").fetchone()
    products = con.execute("SELECT COUNT(*) FROM product").fetchone()[0]
    period = Period(date.fromisoformat(first), date.fromisoformat(last))
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    print(f"load average {' '.join(load)} on {os.cpu_count()} CPUs")
    print(f"{path}: {products} products, {lines} sale lines, {period.label()} ({period.days} days)")
    reports = ReportsService(Database.for_file(path))
    reports.profit(period, "day")  # warm the page cache for both sides
    ok = True
    for by, bare in (("day", bare_by_day), ("product", bare_by_product)):
        svc_t, rep, sql_t, totals, svc_c, sql_c = paired_times(lambda by=by: reports.profit(period, by),
                                                               lambda bare=bare: bare(con, period), args.runs)
        same = totals == (rep.total.net_sales, rep.total.cogs, rep.total.count_loss)
        ratio = svc_t / sql_t
        ok &= same and svc_t < 1.0 and ratio <= 1.5
        print(f"profit by {by:8s} service {svc_t * 1000:7.1f} ms   bare SQL {sql_t * 1000:7.1f} ms   "
              f"ratio {ratio:4.2f}   rows {len(rep.rows):6d}   totals agree: {same}")
        print(f"    CPU time: service {svc_c * 1000:7.1f} ms   bare SQL {sql_c * 1000:7.1f} ms   "
              f"ratio {svc_c / sql_c:4.2f}")
    t = time.perf_counter()
    rep = reports.profit(period, "product")
    table = profit_table(rep)
    t_table = time.perf_counter() - t
    t = time.perf_counter()
    pdf = render_pdf(table, shop="bench")
    t_pdf = time.perf_counter() - t
    print(f"by-product PDF: service+table {t_table:.2f} s + PDF {t_pdf:.2f} s = {t_table + t_pdf:.2f} s "
          f"({len(pdf) // 1024} KiB, first 500 of {len(table.rows)} rows + 'other' line)")
    ok &= t_table + t_pdf < 3.0
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_xlsx(table, Path(tmp) / "p.xlsx")
        print(f"by-product xlsx (all {len(table.rows)} rows): {time.perf_counter() - t:.2f} s")
    print("budgets met" if ok else "BUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
