"""Whole ``jxc`` commands beside the same query in the ``sqlite3`` shell, as the owner runs them
(issue 15): wall and CPU (user + sys of the child) medians.

    python benchmarks/bench_linear.py --db FILE [--src SRC] [--runs 3] [--only NAME ...]

``--src`` is the tree whose ``src`` goes first on PYTHONPATH (default: this one), so the same
command measures main as it was and a branch on their own copies of the file. The period is the
file's whole year of sales (first to last business day).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
JXC = "import sys; from jxc_desktop.cli import main; sys.argv[0] = 'jxc'; sys.exit(main())"
# The command's own part: the file opened first (the open path is start-up's), then the command
# run with its output to /dev/null; prints "<wall> <cpu>" of that part.
PART = """import sys, time
from jxc_desktop.cli import build_parser
from jxc_desktop.cli.context import CliContext
args = build_parser().parse_args(sys.argv[1:])
ctx = CliContext(args.db)
ctx.open()
out, sys.stdout = sys.stdout, open('/dev/null', 'w')
t, c = time.perf_counter(), time.process_time()
args.func(args, ctx)
sys.stdout.flush()
w, c = time.perf_counter() - t, time.process_time() - c
sys.stdout = out
print(w, c)
ctx.close()
"""

WHERE = "kind = '{kind}' AND status = 'posted' AND business_day >= '{a}' AND business_day <= '{b}'"
BARE = {
    "profit_day": "SELECT business_day, kind, SUM(qty), SUM(amount), SUM(discount), SUM(cost) FROM sale_line "
                  "WHERE kind IN ('sale', 'return') AND status = 'posted' AND business_day >= '{a}' "
                  "AND business_day <= '{b}' GROUP BY kind, business_day",
    "profit_product": "SELECT p.code, p.name, c.name, agg.* FROM (SELECT product_id, SUM(qty), SUM(amount), "
                      "SUM(discount), SUM(cost), COUNT(*) FROM sale_line WHERE " + WHERE.replace("{kind}", "sale")
                      + " GROUP BY product_id) agg JOIN product p ON p.id = agg.product_id "
                      "LEFT JOIN category c ON c.id = p.category_id ORDER BY 3 DESC",
    "profit_category": "SELECT p.category_id, SUM(l.amount), SUM(l.cost), COUNT(DISTINCT l.sale_id) FROM sale_line l "
                       "JOIN product p ON p.id = l.product_id WHERE l." + WHERE.replace("{kind}", "sale")
                       + " GROUP BY p.category_id",
    "stock_json": "SELECT p.code, (SELECT b.code FROM barcode b WHERE b.product_id = p.id ORDER BY b.multiplier, "
                  "b.id LIMIT 1), p.name, p.stock_qty, p.avg_cost, p.stock_value FROM product p WHERE p.active = 1 "
                  "ORDER BY p.code",
}
COMMANDS = {
    "profit_day": ["report", "profit", "--from", "{a}", "--to", "{b}", "--by", "day", "--json"],
    "profit_product": ["report", "profit", "--from", "{a}", "--to", "{b}", "--by", "product", "--json"],
    "profit_category": ["report", "profit", "--from", "{a}", "--to", "{b}", "--by", "category", "--json"],
    "stock_json": ["stock", "--json"],
}


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--src", type=Path, default=HERE, help="the tree to measure (its src/ goes first)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="*", choices=list(COMMANDS), default=list(COMMANDS))
    args = ap.parse_args()
    con = sqlite3.connect(args.db)
    a, b = con.execute("SELECT MIN(business_day), MAX(business_day) FROM sale").fetchone()
    con.close()
    env = dict(os.environ, PYTHONPATH=str(args.src / "src"))
    print(f"{args.db} {a}..{b}  tree {args.src}  runs {args.runs}")
    print(f"{'command':16} {'jxc wall':>9} {'jxc cpu':>8} {'part wall':>9} {'part cpu':>8} "
          f"{'sqlite3 wall':>12} {'sqlite3 cpu':>11} {'ratio':>6} {'part ratio':>10}")
    for name in args.only:
        jxc = [sys.executable, "-c", JXC, "--db", str(args.db), *(x.format(a=a, b=b) for x in COMMANDS[name])]
        bare = ["sqlite3", str(args.db), BARE[name].format(a=a, b=b)]
        timed(bare)  # the page cache warm for both
        js = [timed(jxc, env) for _ in range(args.runs)]
        part = [sys.executable, "-c", PART, *jxc[3:]]
        ps = [tuple(map(float, subprocess.run(part, check=True, env=env, capture_output=True, text=True)
                        .stdout.split()[-2:])) for _ in range(args.runs)]
        ss = [timed(bare) for _ in range(args.runs)]
        jw, jc = statistics.median(x[0] for x in js), statistics.median(x[1] for x in js)
        pw, pc = statistics.median(x[0] for x in ps), statistics.median(x[1] for x in ps)
        sw, sc = statistics.median(x[0] for x in ss), statistics.median(x[1] for x in ss)
        print(f"{name:16} {jw:8.2f}s {jc:7.2f}s {pw:8.2f}s {pc:7.2f}s {sw:11.2f}s {sc:10.2f}s {jw / sw:6.2f} "
              f"{pw / sw:10.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
