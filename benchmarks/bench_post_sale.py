"""Posting a 10-line sale at the till, durable (DESIGN.md §9: p95 < 30 ms), on a copy of a big file.

    PYTHONPATH=TREE/src python benchmarks/bench_post_sale.py --db /work/bench15/after_sales1m.sqlite3 \
        --work /tmp/post.sqlite3 [--runs 200] [--profile out.pstats] [--json out.json]

The same call as bench_checkout.py step 3 (CheckoutService.post_sale, cash, confirmed), without the
scan and tab steps before it, so that it can be repeated on a 1 M-line file and profiled: the copy is
a plain file copy (the source must be checkpointed: no -wal beside it), the carts are built before
the clock starts from products drawn with a fixed seed. Prints wall and CPU per post (median, p95).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import Tender


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description="post 10-line sales on a copy of a big file")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True, help="the copy (overwritten)")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--lines", type=int, default=10)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--profile", type=Path, help="cProfile the posts into this pstats file")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    for side in ("-wal", "-shm"):
        if Path(str(args.db) + side).exists() and Path(str(args.db) + side).stat().st_size:
            sys.exit(f"{args.db}{side} is not empty: checkpoint the source first")
        Path(str(args.work) + side).unlink(missing_ok=True)
    shutil.copyfile(args.db, args.work)
    with sqlite3.connect(args.work) as con:
        codes = [r[0] for r in con.execute(
            "SELECT b.code FROM barcode b JOIN product p ON p.id = b.product_id "
            "WHERE b.multiplier = 1 AND p.active = 1 ORDER BY b.id")]
    services = Services(Database.for_file(args.work))
    services.settings.update({"negative_stock": "allow", "auto_print_receipt": "0"})
    rng = random.Random(args.seed)
    carts = []
    for _ in range(args.runs):
        cart = Cart()
        while len(cart.lines) < args.lines:
            cart, _row = cartlib.add(cart, services.checkout.line_for_scan(rng.choice(codes)))
        carts.append(cart)
    dues = [cartlib.price(cart).total for cart in carts]
    profiler = cProfile.Profile() if args.profile else None
    wall: list[float] = []
    cpu: list[float] = []
    for cart, due in zip(carts, dues, strict=True):
        w0, c0 = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        services.checkout.post_sale(cart, [Tender("cash", due + 1000)], confirmed=True)
        if profiler:
            profiler.disable()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    services.db.dispose()
    if profiler:
        profiler.dump_stats(str(args.profile))
    res = {"db": str(args.db), "runs": args.runs, "lines": args.lines,
           "median_ms": round(statistics.median(wall), 2), "p95_ms": round(pct(wall, 95), 2),
           "cpu_median_ms": round(statistics.median(cpu), 2), "cpu_p95_ms": round(pct(cpu, 95), 2),
           "budget_p95_ms": 30}
    print(json.dumps(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
