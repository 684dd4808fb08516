"""Styles by colour × size at a large clothing shop: how long the grids and the style reports take.

    .venv/bin/python benchmarks/bench_styles.py [--styles 2000] [--sales 50000] [--db FILE] [--runs 3]

Builds (once, or reuses ``--db`` when it already holds styles) a shop of ``--styles`` styles of
4 colours × 5 sizes (20 variants each: 40 000 products at the default), a delivery of every
variant, and ``--sales`` till sales of 1–3 variants over the last year, posted through the till's
bulk path. Then times, median of ``--runs``: the styles list, one style's stock grid, the
sell-through report by style / colour / size / cell over the year, broken sizes, and the stock
grid PDF of 200 styles. No budget is set by the design notes for these; the figures are printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import func, select  # noqa: E402

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.models import Style  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain.barcode import with_check_digit  # noqa: E402
from jxc_desktop.domain.cart import Cart, CartLine, price  # noqa: E402
from jxc_desktop.domain.clock import local_today  # noqa: E402
from jxc_desktop.domain.quantity import MILLI  # noqa: E402
from jxc_desktop.reports.style_grid import style_grid_pdf  # noqa: E402
from jxc_desktop.services.catalog.dto import StyleInput  # noqa: E402
from jxc_desktop.services.catalog.styles import create_style_in, style_dto  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput  # noqa: E402
from jxc_desktop.services.sales.dto import Tender  # noqa: E402

COLOURS = (("01", "黑色"), ("02", "白色"), ("03", "灰色"), ("04", "藏青"))
SIZES = ("S", "M", "L", "XL", "XXL")


def build(services: Services, n_styles: int, n_sales: int) -> None:
    rng = random.Random("bench-styles")
    t0 = time.perf_counter()
    variants: list[tuple[int, str, int, str]] = []
    barcode = 0
    for start in range(0, n_styles, 200):
        with services.db.write() as uow:
            for i in range(start, min(start + 200, n_styles)):
                codes = []
                for c, _n in COLOURS:
                    for s in SIZES:
                        barcode += 1
                        codes.append((c, s, with_check_digit(f"2{barcode:011d}")))
                style = create_style_in(uow.session, StyleInput(
                    code=f"B{i:05d}", name=f"测试款{i}", colours=COLOURS, sizes=SIZES, season="四季",
                    sale_price=rng.randrange(59, 599) * 100, ref_cost=3000, barcodes=tuple(codes)))
                dto = style_dto(uow.session, style)
                variants += [(v.product_id, f"{dto.name} {v.colour} {v.size}", v.sale_price, v.barcode)
                             for v in dto.variants]
            uow.commit()
    print(f"{n_styles} styles, {len(variants)} variants: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    supplier = services.suppliers.add(SupplierInput(name="批发商"))
    first = datetime.combine(local_today() - timedelta(days=366), datetime.min.time()).astimezone()
    for start in range(0, len(variants), 2000):
        lines = tuple(LineInput(pid, 30 * MILLI, 3000) for pid, _n, _p, _b in variants[start:start + 2000])
        services.purchasing.post(NoteInput(supplier.id, lines), at=first, confirmed=True)
    print(f"deliveries: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    batch: list[tuple[Cart, list[Tender], datetime]] = []
    for k in range(n_sales):
        at = first + timedelta(days=1 + k * 364 / n_sales, hours=10)
        picked = rng.sample(variants, rng.choice((1, 1, 2, 3)))
        cart = Cart(tuple(CartLine(pid, name, p, MILLI, p, code, "件") for pid, name, p, code in picked))
        batch.append((cart, [Tender("wechat", price(cart).total)], at))
        if len(batch) == 1000:
            services.checkout.post_sales_bulk(batch, per_commit=1000)
            batch.clear()
    if batch:
        services.checkout.post_sales_bulk(batch, per_commit=1000)
    print(f"{n_sales} sales: {time.perf_counter() - t0:.1f} s")


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--styles", type=int, default=2000)
    ap.add_argument("--sales", type=int, default=50000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/jxc-bench-styles.sqlite3"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    migrate(args.db)
    db = Database.for_file(args.db)
    services = Services(db)
    with db.read() as uow:
        have = uow.session.scalar(select(func.count(Style.id))) or 0
    if not have:
        build(services, args.styles, args.sales)
    today = local_today()
    year = (today - timedelta(days=365), today)
    grids = services.style_grids
    codes = [r.code for r in services.styles.list_styles()]
    checks: list[tuple[str, Callable[[], object]]] = [
        ("styles list", services.styles.list_styles),
        ("one style's stock grid", lambda: grids.stock_grid(codes[len(codes) // 2])),
        *((f"sell-through by {level}, a year", lambda level=level: grids.sell_through(*year, level=level))
          for level in ("style", "colour", "size", "cell")),
        ("broken sizes", grids.broken_sizes),
        ("stock grid PDF, 200 styles", lambda: style_grid_pdf([grids.stock_grid(c) for c in codes[:200]])),
    ]
    for name, fn in checks:
        median, worst = timed(fn, args.runs)
        print(f"{name:34s} median {median:8.1f} ms  worst {worst:8.1f} ms")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
