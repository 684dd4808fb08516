"""SQLite and PostgreSQL side by side on this machine (issue 21), and tills at once on the server.

    PYTHONPATH=src:. .venv/bin/python benchmarks/bench_backends.py [--products 2000] [--days 365]
        [--sales-per-day 80] [--runs 50] [--seconds 10] [--pg-url postgresql://…]

Builds the same shop twice from one seeded generator — a SQLite file in a temporary folder and a
database on a throwaway local PostgreSQL cluster (benchmarks/pg_throwaway.py; fsync and
synchronous_commit on, every sale durable), or on ``--pg-url`` (an EMPTY database) — then times,
median and p95 of ``--runs``:
- scan → cart: line_for_scan + cart add + price (the till's path);
- a 10-line sale, posted and committed;
- profit of the last 12 months by day and by product;
and on the server, sales per second with 1, 2 and 4 tills posting 3-line sales at once (separate
processes and connections, ``--seconds`` each, products drawn from a hot set so tills meet on rows).
Prints one table.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.pg_throwaway import cluster, create_database  # noqa: E402
from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.server import migrate_server  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain import cart as cartlib  # noqa: E402
from jxc_desktop.domain.cart import Cart, CartLine  # noqa: E402
from jxc_desktop.domain.clock import local_day, utcnow  # noqa: E402
from jxc_desktop.domain.periods import Period  # noqa: E402
from jxc_desktop.domain.product_rules import ProductInput  # noqa: E402
from jxc_desktop.services.catalog.bulk_insert import Opening, insert_products  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.sales.dto import Tender  # noqa: E402

Row = tuple[str, str, float, float]  # what, backend, median ms, p95 ms


def barcode(n: int) -> str:
    body = f"692{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def build(db: Database, products: int, days: int, per_day: int, seed: int = 21) -> list[int]:
    """The shop: ``products`` products with stock, ``days`` days of sales (1–5 lines) before today."""
    services = Services(db)
    services.settings.update({"negative_stock": "warn"})
    lines: dict[int, CartLine] = {}
    for start in range(0, products, 1000):
        items = [(ProductInput(name=f"商品{n}", sale_price=300 + n % 900, ref_cost=200 + n % 500,
                               barcodes=((barcode(n), 1),)), Opening(100_000_000, 200 + n % 500))
                 for n in range(start, min(products, start + 1000))]
        with db.write() as uow:
            made = insert_products(uow.session, items)
            uow.session.flush()
            for (data, _o), p in zip(items, made, strict=True):
                lines[p.id] = CartLine(p.id, data.name, data.sale_price, 1000, data.sale_price, data.barcodes[0][0])
            uow.commit()
    ids = sorted(lines)
    rng = random.Random(seed)
    now = utcnow()

    def sales() -> Iterator[tuple[Cart, list[Tender], datetime]]:
        for day in range(days, 0, -1):
            for k in range(per_day):
                cart = Cart()
                for pid in rng.sample(ids, rng.randint(1, 5)):
                    cart, _ = cartlib.add(cart, replace(lines[pid], qty=rng.randint(1, 3) * 1000))
                at = now - timedelta(days=day, seconds=(per_day - k) * 60)
                yield cart, [Tender("cash", cartlib.price(cart).total)], at

    services.checkout.post_sales_bulk(sales(), per_commit=500)
    return ids


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    ms: list[float] = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return statistics.median(ms), ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]


def measure(name: str, db: Database, ids: list[int], runs: int) -> list[Row]:
    services = Services(db)
    co = services.checkout
    rng = random.Random(7)
    codes = [barcode(n) for n in range(len(ids))]
    rows: list[Row] = []

    def scan() -> None:
        line = co.line_for_scan(rng.choice(codes))
        cart, _ = cartlib.add(Cart(), line)
        co.price(cart)

    def sale() -> None:
        cart = Cart()
        for pid in rng.sample(ids, 10):
            cart, _ = cartlib.add(cart, co.line_for_product(pid, 1000))
        co.post_sale(cart, [Tender("cash", cartlib.price(cart).total)], confirmed=True)

    today = local_day()
    year = Period(today - timedelta(days=365), today)
    scan()
    rows.append(("scan → cart", name, *timed(scan, runs)))
    rows.append(("10-line sale (durable)", name, *timed(sale, runs)))
    for by in ("day", "product"):
        services.reports.profit(year, by)  # warm
        rows.append((f"profit 12 months by {by}", name, *timed(lambda by=by: services.reports.profit(year, by),
                                                                max(5, runs // 5))))
    return rows


def _till(url: str, ids: list[int], seed: int, seconds: float, barrier: Any, out: Any) -> None:
    db = Database.for_server(url)
    co = Services(db).checkout
    rng = random.Random(seed)
    hot = ids[:200]
    barrier.wait()
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        cart = Cart()
        for pid in rng.sample(hot, 3):
            cart, _ = cartlib.add(cart, co.line_for_product(pid, 1000))
        co.post_sale(cart, [Tender("cash", cartlib.price(cart).total)], confirmed=True)
        n += 1
    out.put(n)
    db.dispose()


def tills(url: str, ids: list[int], count: int, seconds: float) -> float:
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(count), ctx.Queue()
    procs = [ctx.Process(target=_till, args=(url, ids, i, seconds, barrier, out)) for i in range(count)]
    for p in procs:
        p.start()
    total = sum(out.get(timeout=seconds + 120) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


@contextmanager
def server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with cluster() as template:
        yield create_database(template, "jxc_bench")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--sales-per-day", type=int, default=80)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--pg-url", default=None, help="an EMPTY PostgreSQL database (default: a throwaway cluster)")
    args = ap.parse_args()
    rows: list[Row] = []
    rates: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory(prefix="jxc-bench-") as tmp, server(args.pg_url) as url:
        path = Path(tmp) / "shop.sqlite3"
        migrate(path)
        migrate_server(url)
        for name, db in (("SQLite", Database.for_file(path)), ("PostgreSQL", Database.for_server(url))):
            t = time.perf_counter()
            ids = build(db, args.products, args.days, args.sales_per_day)
            print(f"{name}: built {args.products} products, {args.days * args.sales_per_day} sales "
                  f"in {time.perf_counter() - t:.0f} s", flush=True)
            rows += measure(name, db, ids, args.runs)
            db.dispose()
        for count in (1, 2, 4):
            rates.append((count, tills(url, ids, count, args.seconds)))
    print(f"\n{'':<28}{'SQLite median / p95 ms':>26}{'PostgreSQL median / p95 ms':>30}")
    for what in dict.fromkeys(r[0] for r in rows):
        cells = {r[1]: f"{r[2]:8.2f} / {r[3]:8.2f}" for r in rows if r[0] == what}
        print(f"{what:<28}{cells.get('SQLite', ''):>26}{cells.get('PostgreSQL', ''):>30}")
    print("\nPostgreSQL, tills posting 3-line sales at once (each commit durable):")
    for count, rate in rates:
        print(f"  {count} till{'s' if count > 1 else ' '}: {rate:7.1f} sales/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
