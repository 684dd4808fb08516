"""Build the 100 000-product benchmark database THROUGH THE SERVICES (no raw SQL inserts).

    .venv/bin/python benchmarks/make_db.py [--products 100000] [--out /work/bench/products100k.sqlite3]

Products come from the demo generator (Chinese names, specs, EAN-13 barcodes, case codes),
written by ``product_io.insert_products`` in batches of 5 000 per transaction with opening stock
through the ledger. The file is built next to the target and renamed into place at the end, so
readers of an older copy are never handed a half-built file. Ends with ``jxc check`` on the file
(exit 1 when it is not OK).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.demo import catalog_data as demo_catalog  # noqa: E402
from jxc_desktop.demo.shop import local_moment  # noqa: E402
from jxc_desktop.domain.product_rules import ProductInput  # noqa: E402
from jxc_desktop.domain.quantity import MILLI  # noqa: E402
from jxc_desktop.services.catalog.product_files import Opening, insert_products  # noqa: E402
from jxc_desktop.services.safety.books_check import run_check  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from add_sales import jxc_check  # noqa: E402

DEFAULT_OUT = Path("/work/bench/products100k.sqlite3")
BATCH = 5000


def build(out: Path, n: int, seed: int) -> int:
    tmp = out.with_name(out.name + ".building")
    for side in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        side.unlink(missing_ok=True)
    migrate(tmp)
    db = Database.for_file(tmp)
    rng = random.Random(seed)
    from datetime import timedelta

    from jxc_desktop.domain.clock import local_today

    opened = local_moment(local_today() - timedelta(days=400), 8)
    started = time.perf_counter()
    batch: list[tuple[ProductInput, Opening | None]] = []

    def flush() -> None:
        with db.write() as uow:
            insert_products(uow.session, batch, at=opened, create_categories=True)
            uow.commit()
        batch.clear()

    for done, p in enumerate(demo_catalog.products(rng, n), start=1):
        barcodes: tuple[tuple[str, int], ...] = ((p.barcode, 1),)
        if p.case_barcode:
            barcodes += ((p.case_barcode, p.case),)
        qty = rng.randint(20, 200) * MILLI
        opening = Opening(qty, p.cost, batch_no="B" + opened.strftime("%Y%m%d"),
                          expiry=(opened.date() + timedelta(days=(p.shelf_life_days or 365) + 400))) \
            if p.batches else Opening(qty, p.cost)
        batch.append((ProductInput(
            name=p.name, spec=p.spec, unit=p.unit, category=p.category, sale_price=p.sale_price,
            ref_cost=p.cost, min_stock=10 * MILLI, max_stock=300 * MILLI,
            shelf_life_days=p.shelf_life_days, tracks_batches=p.batches, barcodes=barcodes), opening))
        if len(batch) >= BATCH:
            flush()
            print(f"{done:>7} products  {time.perf_counter() - started:6.1f} s", flush=True)
    if batch:
        flush()
    report = run_check(db)
    db.dispose()
    import sqlite3

    con = sqlite3.connect(tmp)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")
    con.close()
    for side in (out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        side.unlink(missing_ok=True)  # a stale WAL of an older copy must not be replayed onto this one
    os.replace(tmp, out)
    print(f"built {out}: {n} products in {time.perf_counter() - started:.1f} s; check ok={report.ok}")
    return jxc_check(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    return build(args.out, args.products, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
