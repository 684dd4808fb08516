"""Add about a million sale lines over the last 12 months to a copy of the 100 000-product database.

    .venv/bin/python benchmarks/add_sales.py [--lines 1000000] [--src /work/bench/products100k.sqlite3]
                                             [--out /work/bench/sales1m.sqlite3] [--days 365] [--seed 7]

Sales go through the sales service's bulk path (services/sales/bulk_post.py: the till's pricing,
settlement, numbering, row builders and stock rules; stock through the ledger's ``write_many`` and
its FEFO rule; Core executemany, 2 000 sales per transaction), chronologically, with a
weekly pattern (busier weekends), opening-hours peaks (morning, noon, evening) and popular
products selling far more than the long tail. Then about 0.3 % of the sales get a customer return
(``post_return``). The copy is built next to the target and renamed at the end. While loading, the
negative-stock policy is ``allow`` and expired batches are not blocked (a year of sales with no
purchases in between would otherwise be refused); the shop's own values are restored afterwards.
Progress goes to stdout. At the end ``jxc check`` runs on the file: exit 1 when it is not OK.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import event, select  # noqa: E402

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.models import Barcode, Product, Sale  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain.cart import Cart, CartLine  # noqa: E402
from jxc_desktop.domain.cart import price as price_cart  # noqa: E402
from jxc_desktop.domain.clock import local_today, utcnow  # noqa: E402
from jxc_desktop.domain.money import div_round  # noqa: E402
from jxc_desktop.domain.quantity import MILLI  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.sales.bulk_post import post_sales_bulk  # noqa: E402
from jxc_desktop.services.sales.dto import ReturnItem, Tender  # noqa: E402

HOURS = [(8, 4), (9, 6), (10, 6), (11, 9), (12, 11), (13, 8), (14, 5), (15, 5), (16, 6), (17, 10),
         (18, 12), (19, 10), (20, 7), (21, 4)]
WEEKDAY = [0.9, 0.85, 0.9, 0.95, 1.1, 1.35, 1.3]  # Monday .. Sunday
LINES_PER_SALE = [(1, 22), (2, 20), (3, 15), (4, 11), (5, 9), (6, 7), (7, 5), (8, 4), (9, 3), (10, 4)]


def copy_db(src: Path, tmp: Path) -> None:
    for side in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        side.unlink(missing_ok=True)
    with sqlite3.connect(src) as source, sqlite3.connect(tmp) as target:
        source.backup(target)


def load_products(db: Database) -> list[tuple[int, str, int, str, str]]:
    with db.read() as uow:
        s = uow.session
        barcodes = dict(s.execute(select(Barcode.product_id, Barcode.code).where(Barcode.multiplier == 1)).all())
        return [(pid, name, price, unit, barcodes.get(pid, ""))
                for pid, name, price, unit in s.execute(
                    select(Product.id, Product.name, Product.sale_price, Product.unit)
                    .where(Product.active.is_(True), Product.sale_price > 0).order_by(Product.id))]


def local_at(day: date, hour: int, rng: random.Random) -> datetime:
    naive = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    return naive.astimezone().astimezone(UTC)


def generate(products: list[tuple[int, str, int, str, str]], lines: int, days: int,
             rng: random.Random) -> Iterator[tuple[Cart, list[Tender], datetime]]:
    mean_lines = sum(n * w for n, w in LINES_PER_SALE) / sum(w for _n, w in LINES_PER_SALE)
    total_sales = lines / mean_lines
    today = local_today()
    first = today - timedelta(days=days)
    weights = [WEEKDAY[(first + timedelta(days=d)).weekday()] * (0.85 + 0.3 * d / days) for d in range(days)]
    scale = total_sales / sum(weights)
    # Popular first: a product's chance falls off with its rank (u**3 skew over a shuffled order).
    order = list(range(len(products)))
    rng.shuffle(order)
    sizes = [n for n, _w in LINES_PER_SALE]
    size_w = [w for _n, w in LINES_PER_SALE]
    hours = [h for h, _w in HOURS]
    hour_w = [w for _h, w in HOURS]
    made = 0
    for d in range(days):
        day = first + timedelta(days=d)
        n_sales = int(weights[d] * scale + rng.random())
        moments = sorted(local_at(day, h, rng) for h in rng.choices(hours, hour_w, k=n_sales))
        for at in moments:
            cart_lines: list[CartLine] = []
            seen: set[int] = set()
            for _ in range(rng.choices(sizes, size_w)[0]):
                pid, name, price, unit, barcode = products[order[int(len(order) * rng.random() ** 3)]]
                if pid in seen:
                    continue
                seen.add(pid)
                qty = rng.randint(250, 2500) if unit in ("kg", "斤") else rng.choices((1, 2, 3, 6), (70, 20, 7, 3))[0] * MILLI
                cart_lines.append(CartLine(pid, name, price, qty, price, barcode, unit))
            cart = Cart(tuple(cart_lines))
            due = price_cart(cart).total
            if due >= 5000 and rng.random() < 0.15:  # round off the odd jiao/fen
                cart = Cart(cart.lines, due % 100)
                due = price_cart(cart).total  # priced again only when rounded
            r = rng.random()
            if r < 0.45:
                tenders = [Tender("wechat", due)]
            elif r < 0.75:
                tenders = [Tender("alipay", due)]
            elif r < 0.95:
                tendered = max(due, int(math.ceil(due / 1000) * 1000))
                tenders = [Tender("cash", tendered)]
            else:
                tenders = [Tender("card", due)]
            made += len(cart.lines)
            yield cart, tenders, at
            if made >= lines:
                return


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=Path("/work/bench/products100k.sqlite3"))
    ap.add_argument("--out", type=Path, default=Path("/work/bench/sales1m.sqlite3"))
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-commit", type=int, default=2000, help="sales per transaction")
    ap.add_argument("--cache-mb", type=int, default=256, help="SQLite page cache of the loader's connections (0: default)")
    args = ap.parse_args()
    if not args.src.is_file():
        print(f"missing {args.src}: run benchmarks/make_db.py first", file=sys.stderr)
        return 2
    tmp = args.out.with_name(args.out.name + ".building")
    started = time.perf_counter()
    copy_db(args.src, tmp)
    migrate(tmp)
    db = Database.for_file(tmp)
    # The loader's connections keep the random-keyed indexes (stock_move by product, sale_line by
    # product) in SQLite's page cache instead of re-reading and re-writing them every commit, and
    # sync at checkpoints only (WAL, synchronous=NORMAL): the file is renamed into place when it is
    # whole, so a commit's own fsync would protect nothing (it cost a quarter second a commit on a
    # busy disk).
    pragmas = ["PRAGMA synchronous=NORMAL", *([f"PRAGMA cache_size=-{args.cache_mb * 1024}"] if args.cache_mb else [])]
    event.listen(db.engine, "connect", lambda con, _rec: [con.execute(p) for p in pragmas])
    db.engine.dispose()  # connections opened before the listener are not reused
    services = Services(db)
    keep = {k: v for k, v in services.settings.all().items() if k in ("negative_stock", "block_expired_sale")}
    services.settings.update({"negative_stock": "allow", "block_expired_sale": "0"})
    products = load_products(db)
    print(f"copied {args.src.name} ({len(products)} products) in {time.perf_counter() - started:.1f} s", flush=True)
    rng = random.Random(args.seed)
    progress = {"sales": 0, "lines": 0, "t": time.perf_counter()}
    cpu0 = time.process_time()

    def counted() -> Iterator[tuple[Cart, list[Tender], datetime]]:
        for item in generate(products, args.lines, args.days, rng):
            progress["sales"] += 1
            progress["lines"] += len(item[0].lines)
            if progress["sales"] % 20000 == 0:
                el = time.perf_counter() - progress["t"]
                print(f"  {progress['lines']:>9,} lines  {progress['sales']:>8,} sales  {item[2]:%Y-%m-%d}  "
                      f"{el:6.0f} s  {progress['lines'] / el:,.0f} lines/s", flush=True)
            yield item

    posted = post_sales_bulk(db, counted(), per_commit=args.per_commit)
    print(f"posted {posted:,} sales, {progress['lines']:,} lines in {time.perf_counter() - progress['t']:.0f} s "
          f"({time.process_time() - cpu0:.0f} s CPU; the machine's load shows in the wall time, less in the CPU)",
          flush=True)
    # A few customer returns, spread over the year.
    with db.read() as uow:
        numbers = list(uow.session.scalars(select(Sale.number).where(Sale.kind == "sale")))
    returns = 0
    for number in rng.sample(numbers, k=max(1, len(numbers) * 3 // 1000)):
        sale = services.checkout.get_sale(number)
        line = rng.choice(sale.lines)
        qty = line.qty if line.qty < MILLI or rng.random() < 0.7 else div_round(line.qty, 2 * MILLI) * MILLI or line.qty
        at = sale.created_at + timedelta(hours=rng.randint(1, 72))
        at = min(at, utcnow())
        services.checkout.post_return(number, [ReturnItem(line.id, qty)],
                                      method="cash" if rng.random() < 0.5 else "wechat", at=at)
        returns += 1
    print(f"posted {returns} returns", flush=True)
    services.settings.update(keep)
    with db.write() as uow:
        uow.session.connection().exec_driver_sql("ANALYZE")
        uow.commit()
    db.dispose()
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    for side in ("-wal", "-shm"):
        tmp.with_name(tmp.name + side).unlink(missing_ok=True)
    shutil.move(tmp, args.out)
    print(f"done: {args.out} ({args.out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s",
          flush=True)
    return jxc_check(args.out)


def jxc_check(path: Path) -> int:
    """``jxc check`` as the owner runs it, on the file just built: 0 when it is OK, else 1."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")])))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "import sys; from jxc_desktop.cli import main; sys.exit(main())",
                           "--db", str(path), "check"], env=env, capture_output=True, text=True, check=False)
    print(f"jxc check: exit {proc.returncode} in {time.perf_counter() - t0:.1f} s", flush=True)
    if proc.returncode:
        print(proc.stdout[-3000:] + proc.stderr[-3000:], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
