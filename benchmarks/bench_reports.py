"""Report speed on the 100 000-product / 1 000 000-sale-line file (DESIGN §9).

    .venv/bin/python benchmarks/bench_reports.py [/work/bench/sales1m.sqlite3] [--runs 5]

For the profit summary by day and by product over the 12 months of sales it prints the service's
time, the time of bare SQL (sqlite3, no SQLAlchemy, no DTOs) computing the same totals on the same
file, and their ratio (medians over several runs); it checks the two agree to the fen. Then the
by-product PDF (service + table + PDF) and the xlsx time. Budgets: < 1 s, ratio ≤ 1.5, PDF < 3 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.reports.report_pdf import render_pdf
from jxc_desktop.services.report_tables import profit_table
from jxc_desktop.services.report_xlsx import write_xlsx
from jxc_desktop.services.reports import ReportsService

LINES = """
SELECT {group}, SUM(CASE WHEN s.kind='sale' THEN l.qty ELSE 0 END), SUM(CASE WHEN s.kind='return' THEN l.qty ELSE 0 END),
       SUM(CASE WHEN s.kind='sale' THEN l.amount ELSE 0 END), SUM(CASE WHEN s.kind='return' THEN l.amount ELSE 0 END),
       SUM(CASE WHEN s.kind='sale' THEN l.discount ELSE 0 END), SUM(CASE WHEN s.kind='return' THEN l.discount ELSE 0 END),
       SUM(CASE WHEN s.kind='sale' THEN l.cost ELSE 0 END), SUM(CASE WHEN s.kind='return' THEN l.cost ELSE 0 END)
       {extra}
FROM sale_line l JOIN sale s ON s.id = l.sale_id
WHERE s.business_day >= ? AND s.business_day <= ? AND s.status = 'posted'
GROUP BY {group}
"""
DAY_LINES = """SELECT s.business_day, s.kind, SUM(l.qty), SUM(l.amount), SUM(l.discount), SUM(l.cost)
FROM sale_line l JOIN sale s ON s.id = l.sale_id
WHERE s.business_day >= ? AND s.business_day <= ? AND s.status = 'posted' GROUP BY s.business_day, s.kind"""
DOCS = """SELECT business_day, SUM(kind='sale'), SUM(kind='return') FROM sale
WHERE business_day >= ? AND business_day <= ? AND status = 'posted' GROUP BY business_day"""
MOVES = """SELECT {group}, SUM(CASE WHEN kind='count_gain' THEN value ELSE 0 END),
       SUM(CASE WHEN kind='count_loss' THEN -value ELSE 0 END)
FROM stock_move WHERE created_at >= ? AND created_at < ? AND kind IN ('count_gain', 'count_loss') GROUP BY {group}"""
NAMES = "SELECT p.id, p.code, p.name, c.name FROM product p LEFT JOIN category c ON c.id = p.category_id WHERE p.id IN ({ids})"


def _utc_text(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def bare_by_day(con: sqlite3.Connection, period: Period) -> tuple[int, int, int]:
    """Net sales, COGS and count losses by day with plain SQL; returns the period totals."""
    a, b = period.first.isoformat(), period.last.isoformat()
    start, end = day_bounds_utc(period.first, period.last)
    rows = con.execute(DAY_LINES, (a, b)).fetchall()
    con.execute(DOCS, (a, b)).fetchall()
    off = start.astimezone().utcoffset()
    offset = int(off.total_seconds()) if off is not None else 0
    moves = con.execute(MOVES.format(group=f"substr(datetime(created_at, '{offset:+d} seconds'), 1, 10)"),
                        (_utc_text(start), _utc_text(end))).fetchall()
    sign = {"sale": 1, "return": -1}
    net = sum(sign[r[1]] * r[3] for r in rows)
    cogs = sum(sign[r[1]] * r[5] for r in rows)
    return net, cogs, sum(m[2] for m in moves)


def bare_by_product(con: sqlite3.Connection, period: Period) -> tuple[int, int, int]:
    a, b = period.first.isoformat(), period.last.isoformat()
    start, end = day_bounds_utc(period.first, period.last)
    extra = ", SUM(s.kind='sale'), SUM(s.kind='return')"
    sql = ("SELECT p.id, p.code, p.name, c.name, agg.* FROM (" + LINES.format(group="l.product_id", extra=extra)
           + ") agg JOIN product p ON p.id = agg.product_id LEFT JOIN category c ON c.id = p.category_id")
    rows = con.execute(sql, (a, b)).fetchall()
    moves = con.execute(MOVES.format(group="product_id"), (_utc_text(start), _utc_text(end))).fetchall()
    seen = {r[0] for r in rows}
    missing = [m[0] for m in moves if m[0] not in seen]
    for i in range(0, len(missing), 500):
        chunk = missing[i:i + 500]
        con.execute(NAMES.format(ids=",".join("?" * len(chunk))), chunk).fetchall()
    con.execute(DOCS, (a, b)).fetchall()
    net = sum(r[7] - r[8] for r in rows)
    cogs = sum(r[11] - r[12] for r in rows)
    return net, cogs, sum(m[2] for m in moves)


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


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
    first, last, lines = con.execute(
        "SELECT MIN(business_day), MAX(business_day), (SELECT COUNT(*) FROM sale_line) FROM sale").fetchone()
    products = con.execute("SELECT COUNT(*) FROM product").fetchone()[0]
    period = Period(date.fromisoformat(first), date.fromisoformat(last))
    print(f"{path}: {products} products, {lines} sale lines, {period.label()} ({period.days} days)")
    reports = ReportsService(Database.for_file(path))
    reports.profit(period, "day")  # warm the page cache for both sides
    ok = True
    for by, bare in (("day", bare_by_day), ("product", bare_by_product)):
        svc_t, rep = median_time(lambda by=by: reports.profit(period, by), args.runs)
        sql_t, totals = median_time(lambda bare=bare: bare(con, period), args.runs)
        same = totals == (rep.total.net_sales, rep.total.cogs, rep.total.count_loss)
        ratio = svc_t / sql_t
        ok &= same and svc_t < 1.0 and ratio <= 1.5
        print(f"profit by {by:8s} service {svc_t * 1000:7.1f} ms   bare SQL {sql_t * 1000:7.1f} ms   "
              f"ratio {ratio:4.2f}   rows {len(rep.rows):6d}   totals agree: {same}")
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
