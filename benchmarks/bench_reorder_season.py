"""Reorder with forecasts for all products (issue 20): the seasonal rule at 100 000 products and a
year of sales, budget < 5 s; the flat rule on the same file for comparison.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_reorder_season.py [--db /work/bench_after/sales1m.sqlite3] [--runs 3]

Works on a COPY of the file (migrated to head first, not timed; the original is never touched).
``today`` is the day after the file's last sale, so the year of sales is the history. Each figure is
the median of the runs (worst in brackets), with the median CPU time of the process and the number
of suggested lines.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402

DEFAULT_DB = Path("/work/bench_after/sales1m.sqlite3")
BUDGET_S = 5.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.sqlite3"
        src = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        dst = sqlite3.connect(path)
        src.backup(dst)
        src.close()
        dst.close()
        t0 = time.perf_counter()
        migrate(path)
        print(f"copied and migrated in {time.perf_counter() - t0:.1f} s (not timed below)")
        con = sqlite3.connect(path)
        last = con.execute("SELECT MAX(business_day) FROM sale_line").fetchone()[0]
        products = con.execute("SELECT COUNT(*) FROM product").fetchone()[0]
        lines = con.execute("SELECT COUNT(*) FROM sale_line").fetchone()[0]
        con.close()
        today = date.fromisoformat(last) + timedelta(days=1)
        db = Database.for_file(path)
        services = Services(db)
        print(f"{products} products, {lines} sale lines, today {today}")
        ok = True
        for rule in ("flat", "season"):
            times, cpu, n = [], [], 0
            for _ in range(args.runs):
                t, c = time.perf_counter(), time.process_time()
                groups = services.reorder.suggest(today=today, rule=rule)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                n = sum(len(g.lines) for g in groups)
            med = statistics.median(times)
            verdict = "" if rule == "flat" else (" OK" if med < BUDGET_S else f" OVER the {BUDGET_S:.0f} s budget")
            ok = ok and (rule == "flat" or med < BUDGET_S)
            print(f"reorder --rule {rule}: {med:.2f} s median (worst {max(times):.2f} s), CPU {statistics.median(cpu):.2f} s "
                  f"(SQLite runs in this process: the CPU time is the figure a shared machine does not inflate), "
                  f"{n} lines{verdict}")
        db.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
