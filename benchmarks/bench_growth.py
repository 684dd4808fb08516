"""Does a command grow with the shop, or faster? (issue 15, "linear everywhere"): the same ``jxc``
commands on a small file and a big one, the command's own time in each and the ratio.

    python benchmarks/bench_growth.py --src TREE --small-products P10K --big-products P100K \
        --small-sales S100K --big-sales S1M [--runs 3] [--only stock,export,value_at,turnover,slow]

- stock:     ``jxc stock --json`` (the full stock list) on the products files;
- export:    ``jxc products export FILE.xlsx`` on the products files;
- value_at:  ``jxc report stock-value --at DAY --json``, DAY halfway through the sales file's year;
- turnover:  ``jxc report turnover --from FIRST --to LAST --json`` over the sales file's year;
- slow:      ``jxc report slow --json`` (slow movers) on the sales files.

The small files are the big ones' recipe at a tenth (benchmarks/make_db.py --products 10000,
add_sales.py --lines 100000). Each run is a new process with ``TREE/src`` on PYTHONPATH that opens the
file first and then times only the command (wall and CPU, output to /dev/null), so the start-up's
fixed cost does not flatten the ratio; the whole process's wall time is printed beside it. Linear
means ratio ≈ the data's ratio (printed: products, stock moves). Medians of ``--runs``. Opening a
file of an older schema upgrades it: give each tree its own copies.
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
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
# The file opened first (start-up's part), then the command alone, timed; prints "<wall> <cpu>".
PART = """import sys, time
from jxc_desktop.cli import build_parser
from jxc_desktop.cli.context import CliContext
args = build_parser().parse_args(sys.argv[1:])
ctx = CliContext(args.db)
ctx.open()
out, sys.stdout = sys.stdout, open('/dev/null', 'w')
t, c = time.perf_counter(), time.process_time()
code = args.func(args, ctx)
sys.stdout.flush()
w, c = time.perf_counter() - t, time.process_time() - c
sys.stdout = out
print(w, c, code or 0)
ctx.close()
"""


def facts(db: Path) -> dict[str, Any]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        first, last = con.execute("SELECT MIN(business_day), MAX(business_day) FROM sale_line").fetchone()
        return {"products": con.execute("SELECT COUNT(*) FROM product").fetchone()[0],
                "moves": con.execute("SELECT COUNT(*) FROM stock_move").fetchone()[0],
                "first": first, "last": last}
    finally:
        con.close()


def words(name: str, f: dict[str, Any], tmp: Path) -> list[str]:
    if name == "stock":
        return ["stock", "--json"]
    if name == "export":
        return ["products", "export", str(tmp / "products.xlsx")]
    if name == "value_at":
        first, last = date.fromisoformat(f["first"]), date.fromisoformat(f["last"])
        return ["report", "stock-value", "--at", (first + (last - first) / 2).isoformat(), "--json"]
    if name == "turnover":
        return ["report", "turnover", "--from", f["first"], "--to", f["last"], "--json"]
    if name == "slow":
        return ["report", "slow", "--json"]
    raise ValueError(name)


def one(src: Path, db: Path, cmd: list[str]) -> tuple[float, float, float]:
    """(command wall, command CPU, whole process wall) of one new process."""
    # Bytecode of every module imported kept outside the tree (written by the first run), as an install has it.
    env = dict(os.environ, PYTHONPATH=str(src / "src"),
               PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / "jxc-bench-pycache" / src.as_posix().strip("/")))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", PART, "--db", str(db), *cmd], env=env, capture_output=True,
                          text=True, check=False)
    whole = time.monotonic() - t0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} on {db}: exit {proc.returncode}\n{proc.stderr[-1500:]}")
    wall, cpu, _code = proc.stdout.split()[-3:]
    return float(wall), float(cpu), whole


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, default=HERE, help="the tree measured (its src/ goes on PYTHONPATH)")
    for size in ("small", "big"):
        ap.add_argument(f"--{size}-products", type=Path, required=True)
        ap.add_argument(f"--{size}-sales", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="stock,export,value_at,turnover,slow")
    ap.add_argument("--json", type=Path, dest="json_out")
    args = ap.parse_args(argv)
    src = args.src.resolve()
    files = {"products": (args.small_products, args.big_products), "sales": (args.small_sales, args.big_sales)}
    on = {"stock": "products", "export": "products", "value_at": "sales", "turnover": "sales", "slow": "sales"}
    print(f"tree {src}, runs {args.runs}, load {os.getloadavg()[0]:.1f}")
    print(f"{'command':10} {'small s':>8} {'cpu':>6} {'big s':>8} {'cpu':>6} {'ratio':>6} {'cpu ratio':>9} "
          f"{'data ratio':>18} {'whole big s':>11}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            small, big = files[on[name]]
            fs, fb = facts(small), facts(big)
            cs, cb = words(name, fs, Path(tmp)), words(name, fb, Path(tmp))
            rs, rb = [], []
            for _ in range(args.runs):  # interleaved: the load falls on both sizes alike
                rs.append(one(src, small, cs))
                rb.append(one(src, big, cb))
            med = [statistics.median(x[i] for x in rs) for i in range(3)]
            meb = [statistics.median(x[i] for x in rb) for i in range(3)]
            data = (f"x{fb['products'] / fs['products']:.1f} prod" if on[name] == "products"
                    else f"x{fb['products'] / fs['products']:.1f}p x{fb['moves'] / fs['moves']:.1f}mv")
            row = {"command": name, "small": {"db": str(small), "words": cs, "wall_s": med[0], "cpu_s": med[1],
                                              "whole_s": med[2], **fs},
                   "big": {"db": str(big), "words": cb, "wall_s": meb[0], "cpu_s": meb[1], "whole_s": meb[2], **fb},
                   "ratio": meb[0] / med[0], "cpu_ratio": meb[1] / med[1] if med[1] else None,
                   "load": os.getloadavg()[0]}
            results.append(row)
            print(f"{name:10} {med[0]:8.2f} {med[1]:6.2f} {meb[0]:8.2f} {meb[1]:6.2f} {row['ratio']:6.1f} "
                  f"{(row['cpu_ratio'] or 0):9.1f} {data:>18} {meb[2]:11.2f}", flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps({"src": str(src), "rows": results}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
