"""Exports and big PDFs as the owner runs them: whole ``jxc`` commands, timed from this (parent)
process's monotonic clock, peak resident memory of the child from ``wait4`` (issue 15).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_exports.py --db SALES.sqlite3 \\
        --products-db PRODUCTS.sqlite3 [--runs 3] [--only products,profit,stock,count] [--json]

- products: ``jxc products export FILE.xlsx`` on the products file (100 000 products);
- profit:   ``jxc report profit --by product --from FIRST --to LAST --xlsx FILE`` over every sale day
  of the sales file (about 95 000 product rows at 1 M lines);
- stock:    ``jxc report stock-value --by product --xlsx FILE`` on the sales file;
- count:    ``jxc count pdf NUMBER --blank --pdf FILE`` of a count over every product of the products
  file (opened once by this script when the file has no open count of every product: a write).

Run it on COPIES of the benchmark files (opening upgrades them; the count is written into them).
The child runs with this interpreter and this process's PYTHONPATH: point PYTHONPATH at the tree
to measure. Each figure is the median of ``--runs`` runs (the slow "before" runs: ``--runs 1``).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CLI = "import sys; from jxc_desktop.cli import main; sys.exit(main())"
OPEN_COUNT = """
import sys
from jxc_desktop.cli.context import CliContext
services = CliContext(sys.argv[1]).open()
sc = services.stock_count
for c in sc.list_counts(status="open", totals=False):
    if c.scope_names in ("", None) and sc.line_count(c.id) >= int(sys.argv[2]):
        print(c.number)
        break
else:
    print(sc.open(note="bench_exports").number)
"""


def run_child(args: list[str]) -> tuple[float, float, float]:
    """Seconds (wall, from the parent), CPU seconds (user + system: the figure to compare on a busy
    machine) and peak RSS in MB of one child process."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{err[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: kilobytes


def jxc(db: Path, *words: str) -> list[str]:
    return ["-c", CLI, "--db", str(db), *words]


def sale_days(db: Path) -> tuple[str, str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        first, last = con.execute("SELECT min(business_day), max(business_day) FROM sale_line").fetchone()
    finally:
        con.close()
    return str(first), str(last)


def product_count(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM product").fetchone()[0])
    finally:
        con.close()


def measure(name: str, args: list[str], runs: int, out: Path) -> dict[str, Any]:
    times, cpus, peaks = [], [], []
    for _ in range(runs):
        out.unlink(missing_ok=True)
        seconds, cpu, peak = run_child(args)
        if not out.is_file():
            raise SystemExit(f"{name}: no file written")
        times.append(seconds)
        cpus.append(cpu)
        peaks.append(peak)
        print(f"  {name}: {seconds:.2f} s (cpu {cpu:.2f} s), peak {peak:.0f} MB", file=sys.stderr)
    return {"what": name, "runs": runs, "seconds": round(statistics.median(times), 2),
            "cpu_seconds": round(statistics.median(cpus), 2),
            "peak_rss_mb": round(statistics.median(peaks)), "all_seconds": [round(t, 2) for t in times],
            "bytes": out.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="the 1 M-line sales file (a copy)")
    ap.add_argument("--products-db", type=Path, help="the 100 000-product file (a copy); default: --db")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="products,profit,stock,count")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    products_db = args.products_db or args.db
    only = set(args.only.split(","))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "products" in only:
            out = folder / "products.xlsx"
            results.append(measure(f"products export xlsx ({product_count(products_db)} products)",
                                   jxc(products_db, "products", "export", str(out)), args.runs, out))
        if "profit" in only:
            first, last = sale_days(args.db)
            out = folder / "profit.xlsx"
            results.append(measure(f"profit by product xlsx ({first}..{last})",
                                   jxc(args.db, "report", "profit", "--by", "product", "--from", first, "--to", last,
                                       "--xlsx", str(out)), args.runs, out))
        if "stock" in only:
            out = folder / "stock.xlsx"
            results.append(measure("stock value by product xlsx",
                                   jxc(args.db, "report", "stock-value", "--by", "product", "--xlsx", str(out)),
                                   args.runs, out))
        if "count" in only:
            n = product_count(products_db)
            number = subprocess.run([sys.executable, "-c", OPEN_COUNT, str(products_db), str(n)], check=True,
                                    capture_output=True, text=True).stdout.strip()
            out = folder / "count.pdf"
            results.append(measure(f"blank count sheet pdf ({n} lines)",
                                   jxc(products_db, "count", "pdf", number, "--blank", "--pdf", str(out)),
                                   args.runs, out))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            print(f"{r['what']:<55} {r['seconds']:>7.2f} s  cpu {r['cpu_seconds']:>6.2f} s  "
                  f"peak {r['peak_rss_mb']:>4} MB  (median of {r['runs']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
