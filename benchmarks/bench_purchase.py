"""Purchasing speed at 100 000 products (issue 4): post a 200-line purchase note (< 200 ms) and
reorder suggestions for all products (< 2 s).

    .venv/bin/python benchmarks/bench_purchase.py [--db /work/bench/products100k.sqlite3] [--runs 7]

Works on a copy of the database (the original is never touched). For the reorder run the copy gets
a sales history when it has none: ``--sale-lines`` sale lines spread over the last 28 days (written
directly as sale rows — reorder reads only the sale tables), and every product a last supplier out
of 8, so the suggestions group and cost like a real shop's. Each figure is the median of the runs
(worst run in brackets); a posting run is a fresh note of 200 random products (batch-tracked ones
with a batch number and expiry), committed durably (synchronous=FULL).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import func, insert, select, update  # noqa: E402

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.models import Product, Sale, SaleLine, Supplier  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain.clock import local_today  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput  # noqa: E402

DEFAULT_DB = Path("/work/bench/products100k.sqlite3")
POST_BUDGET_MS = 200.0
REORDER_BUDGET_MS = 2000.0


def ensure_history(services: Services, rng: random.Random, sale_lines: int) -> str:
    """Suppliers, last suppliers and a 28-day sales history, if the copy has none."""
    db = services.db
    with db.read() as uow:
        s = uow.session
        have_sales = int(s.scalar(select(func.count(SaleLine.id))) or 0)
        have_sup = int(s.scalar(select(func.count(Supplier.id))) or 0)
    if have_sup < 8:
        for i in range(have_sup, 8):
            services.suppliers.add(SupplierInput(f"基准供应商{i + 1}"))
    with db.write() as uow:
        s = uow.session
        sids = list(s.scalars(select(Supplier.id).order_by(Supplier.id)))[:8]
        s.execute(update(Product).where(Product.last_supplier_id.is_(None))
                  .values(last_supplier_id=sids[0] + Product.id % len(sids)))
        uow.commit()
    if have_sales:
        return f"existing history: {have_sales} sale lines"
    today = local_today()
    with db.read() as uow:
        pids = list(uow.session.scalars(select(Product.id)))
    hot = rng.sample(pids, min(len(pids), 20_000))  # a shop sells a fraction of its list each month
    with db.write() as uow:
        s = uow.session
        per_sale = 5
        sale_rows = []
        for n in range(sale_lines // per_sale):
            day = today - timedelta(days=rng.randint(1, 28))
            at = datetime.combine(day, dtime(10, 0)).astimezone().astimezone(UTC)
            sale_rows.append({"number": f"BENCH{n:08d}", "kind": "sale" if n % 25 else "return",
                              "status": "posted", "created_at": at, "business_day": day,
                              "subtotal": 0, "discount": 0, "total": 0, "paid": 0, "change": 0, "cost": 0,
                              "note": ""})
        s.execute(insert(Sale), sale_rows)
        first = int(s.scalar(select(func.min(Sale.id)).where(Sale.number.like("BENCH%"))) or 1)
        lines = []
        for n in range(len(sale_rows)):
            for k in range(per_sale):
                lines.append({"sale_id": first + n, "line_no": k + 1, "product_id": rng.choice(hot),
                              "barcode": "", "name": "x", "qty": rng.randint(1, 60) * 1000, "unit_price": 100,
                              "discount": 0, "amount": 100, "cost": 50, "business_day": sale_rows[n]["business_day"],
                              "kind": sale_rows[n]["kind"], "status": "posted"})
        s.execute(insert(SaleLine), lines)
        uow.commit()
    return f"synthetic history: {len(lines)} sale lines over 28 days on {len(hot)} products"


def bench_post(services: Services, rng: random.Random, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per posting (CPU shows the work apart from waiting for a
    core on a busy machine, or for the disk's fsync)."""
    with services.db.read() as uow:
        rows = uow.session.execute(select(Product.id, Product.tracks_batches, Product.ref_cost)
                                   .where(Product.active.is_(True))).all()
    sid = services.suppliers.list(active_only=True)[0].id
    expiry = local_today() + timedelta(days=200)
    out: list[float] = []
    cpu: list[float] = []
    for run in range(runs):
        pick = rng.sample(rows, 200)
        lines = tuple(LineInput(pid, rng.randint(1, 48) * 1000, max(1, cost + rng.randint(-20, 20)),
                                batch_no=f"BB{run}{i:03d}" if tracked else "", expiry_date=expiry if tracked else None)
                      for i, (pid, tracked, cost) in enumerate(pick))
        t0, c0 = time.perf_counter(), time.process_time()
        note = services.purchasing.post(NoteInput(sid, lines))
        out.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert len(note.lines) == 200
    return out, cpu


def bench_reorder(services: Services, runs: int) -> tuple[list[float], int, int]:
    out = []
    groups = []
    for _ in range(runs):
        t0 = time.perf_counter()
        groups = services.reorder.suggest()
        out.append((time.perf_counter() - t0) * 1000)
    return out, len(groups), sum(len(g.lines) for g in groups)


def row(name: str, samples: list[float], budget: float) -> str:
    med = statistics.median(samples)
    verdict = "ok" if med < budget else "OVER"
    return f"| {name} | {med:.1f} ms (worst {max(samples):.1f}) | < {budget:.0f} ms | {verdict} |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--sale-lines", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    if not args.db.is_file():
        print(f"no database at {args.db}: build it with benchmarks/make_db.py", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(args.db, copy)
        migrate(copy)
        db = Database.for_file(copy)
        services = Services(db)
        with db.read() as uow:
            n = int(uow.session.scalar(select(func.count(Product.id))) or 0)
        history = ensure_history(services, rng, args.sale_lines)
        post, post_cpu = bench_post(services, rng, args.runs)
        reorder, groups, lines = bench_reorder(services, args.runs)
        db.dispose()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"{n} products; {history}; {args.runs} runs each; load average {load:.1f} on {os.cpu_count()} cores")
    print("| what | median | budget | |")
    print("|---|---|---|---|")
    print(row("post a 200-line purchase note", post, POST_BUDGET_MS))
    print(row("  the same, CPU time of this process", post_cpu, POST_BUDGET_MS))
    print(row(f"reorder suggestions, all products ({lines} lines for {groups} suppliers)", reorder,
              REORDER_BUDGET_MS))
    return 0 if statistics.median(post) < POST_BUDGET_MS and statistics.median(reorder) < REORDER_BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
