"""FAST BULK PATH (for the report benchmarks only): a year of ~1 000 000 sale lines written with
SQLAlchemy Core ``executemany`` instead of one service call per sale.

    .venv/bin/python benchmarks/make_sales_bulk.py [--lines 1000000] [--out /work/bench/sales1m_bulk.sqlite3]

benchmarks/add_sales.py (engineer C) builds /work/bench/sales1m.sqlite3 through CheckoutService;
this script is the labelled fallback when that file is not ready in time. It reuses add_sales.py's
generator (same carts, days, hours, tenders, product popularity) and the program's own rules for
every figure, so the rows are the ones the till would write:
- cart totals and the discount split: domain.cart.price; payments: services.checkout.settle;
- stock moves: domain.costing.issue on each product's running position, batch-tracked goods taken
  first-expiry-first exactly as services.ledger.issue_fefo does (one batch per product here);
- numbers XSyyyymmdd-nnnn from the per-day sequence, product/batch caches updated at the end;
- about 0.3 % of the sales get a customer return through the real CheckoutService.post_return.
The result passes ``jxc check`` (ledger reconciliation), which the script runs at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from add_sales import copy_db, generate, load_products  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.models import Batch, Payment, Product, Sale, SaleLine, Sequence, StockMove  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain import costing  # noqa: E402
from jxc_desktop.domain.cart import price as price_cart  # noqa: E402
from jxc_desktop.domain.clock import local_day  # noqa: E402
from jxc_desktop.domain.money import div_round  # noqa: E402
from jxc_desktop.domain.quantity import MILLI  # noqa: E402
from jxc_desktop.services import ledger  # noqa: E402
from jxc_desktop.services.checkout import ReturnItem, settle  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=Path("/work/bench/products100k.sqlite3"))
    ap.add_argument("--out", type=Path, default=Path("/work/bench/sales1m_bulk.sqlite3"))
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    tmp = args.out.with_name(args.out.name + ".building")
    started = time.perf_counter()
    copy_db(args.src, tmp)
    migrate(tmp)
    db = Database.for_file(tmp)
    services = Services(db)
    products = load_products(db)
    rng = random.Random(args.seed)
    with db.read() as uow:
        s = uow.session
        pos = {pid: costing.Position(q, v, a) for pid, q, v, a in s.execute(
            select(Product.id, Product.stock_qty, Product.stock_value, Product.avg_cost))}
        tracked = set(s.scalars(select(Product.id).where(Product.tracks_batches.is_(True))))
        batches: dict[int, list[list[int]]] = defaultdict(list)  # pid -> [[batch id, qty], ...] in FEFO order
        for bid, pid, qty in s.execute(select(Batch.id, Batch.product_id, Batch.qty)
                                       .order_by(Batch.product_id, Batch.expiry_date.is_(None), Batch.expiry_date,
                                                 Batch.id)):
            batches[pid].append([bid, qty])
        next_id = {t: (s.scalar(select(col).order_by(col.desc()).limit(1)) or 0) + 1
                   for t, col in (("sale", Sale.id), ("line", SaleLine.id), ("pay", Payment.id),
                                  ("move", StockMove.id))}
    seq: dict[str, int] = defaultdict(int)
    last_at: dict[int, datetime] = {}
    rows: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]

    def issue(pid: int, qty: int, batch_id: int | None, doc: tuple[int, str, int], at: datetime) -> int:
        change = costing.issue(pos[pid], qty)
        pos[pid] = change.after
        mid = next_id["move"]
        next_id["move"] += 1
        rows["move"].append(dict(id=mid, product_id=pid, batch_id=batch_id, kind="sale", qty=change.qty,
                                 value=change.value, doc_type="sale", doc_id=doc[0], doc_line_id=doc[2],
                                 doc_number=doc[1], created_at=at, balance_qty=change.after.qty,
                                 balance_value=change.after.value, note=""))
        return -change.value

    def flush() -> None:
        with db.write() as uow:
            conn = uow.session.connection()
            for table, model in (("sale", Sale), ("line", SaleLine), ("pay", Payment), ("move", StockMove)):
                if rows[table]:
                    conn.execute(insert(model), rows[table])
            uow.commit()
        rows.clear()

    lines_done = sales_done = 0
    for cart, tenders, at in generate(products, args.lines, args.days, rng):
        totals = price_cart(cart)
        payments, paid, change = settle(totals.total, tenders)
        day = local_day(at)
        key = day.strftime("%Y%m%d")
        seq[key] += 1
        number = f"XS{key}-{seq[key]:04d}"
        sid = next_id["sale"]
        next_id["sale"] += 1
        cost_total = 0
        for no, p in enumerate(totals.lines, start=1):
            lid = next_id["line"]
            next_id["line"] += 1
            pid, qty = p.line.product_id, p.line.qty
            cost = 0
            if pid in tracked and batches.get(pid):
                remaining, last = qty, None
                for b in batches[pid]:  # FEFO over batches with stock, as ledger.issue_fefo
                    if b[1] <= 0:
                        continue
                    take = min(remaining, b[1])
                    cost += issue(pid, take, b[0], (sid, number, lid), at)
                    b[1] -= take
                    remaining -= take
                    last = b
                    if remaining == 0:
                        break
                if remaining:
                    last = last or batches[pid][-1]
                    cost += issue(pid, remaining, last[0], (sid, number, lid), at)
                    last[1] -= remaining
            else:
                cost = issue(pid, qty, None, (sid, number, lid), at)
            cost_total += cost
            last_at[pid] = at
            rows["line"].append(dict(id=lid, sale_id=sid, line_no=no, product_id=pid, barcode=p.line.barcode[:32],
                                     name=p.line.name[:120], qty=qty, unit_price=p.line.unit_price,
                                     discount=p.discount, amount=p.amount, cost=cost, origin_line_id=None,
                                     business_day=day, kind="sale", status="posted"))
        rows["sale"].append(dict(id=sid, number=number, kind="sale", status="posted", origin_id=None, created_at=at,
                                 business_day=day, subtotal=totals.subtotal, discount=totals.sale_discount,
                                 total=totals.total, paid=paid, change=change, cost=cost_total, note=""))
        for pay in payments:
            rows["pay"].append(dict(id=next_id["pay"], sale_id=sid, method=pay.method, amount=pay.amount,
                                    tendered=pay.tendered))
            next_id["pay"] += 1
        sales_done += 1
        lines_done += len(totals.lines)
        if sales_done % 5000 == 0:
            flush()
        if sales_done % 50000 == 0:
            print(f"  {lines_done:>9,} lines {sales_done:>8,} sales {day}  {time.perf_counter() - started:5.0f} s",
                  flush=True)
    flush()
    with db.write() as uow:
        conn = uow.session.connection()
        conn.execute(update(Product).where(Product.id == ledger_bind("pid")).values(
            stock_qty=ledger_bind("q"), stock_value=ledger_bind("v"), avg_cost=ledger_bind("a"),
            last_move_at=ledger_bind("t"), last_sale_at=ledger_bind("t")),
            [dict(pid=pid, q=pos[pid].qty, v=pos[pid].value, a=pos[pid].avg_cost, t=t) for pid, t in last_at.items()])
        conn.execute(update(Batch).where(Batch.id == ledger_bind("bid")).values(qty=ledger_bind("q")),
                     [dict(bid=b[0], q=b[1]) for bs in batches.values() for b in bs])
        conn.execute(insert(Sequence), [dict(kind="XS", day=k, last=n) for k, n in seq.items()])
        uow.commit()
    print(f"wrote {sales_done:,} sales, {lines_done:,} lines in {time.perf_counter() - started:.0f} s", flush=True)
    with db.read() as uow:
        numbers = list(uow.session.scalars(select(Sale.number)))
    for number in rng.sample(numbers, k=max(1, len(numbers) * 3 // 1000)):
        sale = services.checkout.get_sale(number)
        line = rng.choice(sale.lines)
        qty = line.qty if line.qty < MILLI or rng.random() < 0.7 else div_round(line.qty, 2 * MILLI) * MILLI or line.qty
        at = min(sale.created_at + timedelta(hours=rng.randint(1, 72)), datetime.now(UTC))
        services.checkout.post_return(number, [ReturnItem(line.id, qty)],
                                      method="cash" if rng.random() < 0.5 else "wechat", at=at)
    with db.read() as uow:
        problems = ledger.reconcile(uow.session)
    print(f"returns posted; ledger reconcile: {len(problems)} problems", flush=True)
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
    print(f"done: {args.out} ({args.out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
    return 0 if not problems else 1


def ledger_bind(name: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import bindparam

    return bindparam(name)


if __name__ == "__main__":
    raise SystemExit(main())
