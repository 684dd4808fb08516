"""The till's pricing call with the database: CheckoutService.price_at_till on a 30-line cart with
200 promotions running, on a real SQLite file (what every scan at the till costs, promotions read
from the file, the pure rule of benchmarks/bench_promotions.py applied, the cart totalled).

    .venv/bin/python benchmarks/bench_till_promotions.py [--products 600] [--runs 300] [--seed 5]

The shop: ``--products`` products in 30 categories; 200 promotions running now (100 special prices,
40 buy N pay M, 30 "N-th at X %", 30 thresholds), as bench_promotions.py draws them. Each run prices
one of 50 carts of 30 lines, half of them promoted products. Prints the median and p95 in
milliseconds; exit 1 when p95 >= 5 ms (the issue's budget for pricing such a cart).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain import cart as cartlib  # noqa: E402
from jxc_desktop.domain.cart import Cart, Limits  # noqa: E402
from jxc_desktop.domain.product_rules import ProductInput  # noqa: E402
from jxc_desktop.domain.promotion_rules import Kind  # noqa: E402
from jxc_desktop.domain.quantity import MILLI  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.promotions.dto import PromotionInput  # noqa: E402
from jxc_desktop.services.promotions.service import now_local  # noqa: E402

CATEGORIES = 30


def make_shop(services: Services, products: int, rng: random.Random) -> tuple[list[int], list[int]]:
    ids = [services.catalog.create_product(ProductInput(name=f"商品{i:05d}", sale_price=rng.randrange(100, 5000),
                                                        ref_cost=50, category=f"分类{i % CATEGORIES:02d}"),
                                           create_category=True).id for i in range(products)]
    cats = sorted({p.category_id for p in (services.catalog.get(i) for i in ids[:CATEGORIES])})
    start = now_local() - timedelta(days=2)
    promoted: set[int] = set()
    for i in range(200):
        common = dict(starts=start, ends=start + timedelta(days=7), member_only=rng.random() < 0.15)
        if i < 100:
            chosen = rng.sample(ids, rng.randint(1, 8))
            promoted |= set(chosen)
            data = PromotionInput(f"特价{i}", Kind.SPECIAL_PRICE, products=tuple((p, 80) for p in chosen), **common)
        elif i < 170:
            n = rng.randint(2, 4)
            on_category = rng.random() < 0.3
            chosen = [] if on_category else rng.sample(ids, 5)
            promoted |= set(chosen)
            scope = dict(category_ids=(rng.choice(cats),)) if on_category else dict(
                products=tuple((p, None) for p in chosen))
            if i < 140:
                data = PromotionInput(f"买{n}付{n - 1}", Kind.BUY_N_PAY_M, n=n, m=rng.randint(1, n - 1),
                                      stackable=rng.random() < 0.1, **scope, **common)  # type: ignore[arg-type]
            else:
                data = PromotionInput(f"第{n}件", Kind.NTH_AT_PERCENT, n=n, pay_pct=rng.choice([0, 50, 70]),
                                      stackable=rng.random() < 0.1, **scope, **common)  # type: ignore[arg-type]
        else:
            threshold = rng.choice([5000, 10000, 20000, 30000])
            scope = dict(category_ids=(rng.choice(cats),)) if rng.random() < 0.3 else {}
            data = PromotionInput(f"满{threshold // 100}减", Kind.THRESHOLD, threshold=threshold,
                                  reduction=threshold // 10, repeat=rng.random() < 0.3,
                                  stackable=rng.random() < 0.2, **scope, **common)  # type: ignore[arg-type]
        services.promotions.add(data)
    return ids, sorted(promoted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=600)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        migrate(path)
        db = Database.for_file(path)
        services = Services(db)
        t0 = time.perf_counter()
        ids, promoted = make_shop(services, args.products, rng)
        print(f"shop: {args.products} products, 200 promotions in {time.perf_counter() - t0:.1f} s")
        carts = []
        for _ in range(50):
            chosen = rng.sample(promoted, 15) + rng.sample(ids, 15)
            cart = Cart()
            for pid in chosen:
                cart, _i = cartlib.add(cart, services.checkout.line_for_product(pid, rng.randint(1, 4) * MILLI))
            carts.append(cart)
        limits = Limits()
        for cart in carts[:5]:  # warm the connection and the statement cache
            services.checkout.price_at_till(cart, limits)
        times = []
        given = 0
        for i in range(args.runs):
            cart = carts[i % len(carts)]
            t = time.perf_counter()
            totals = services.checkout.price_at_till(cart, limits)
            times.append((time.perf_counter() - t) * 1000)
            given += totals.promo_discount
        db.dispose()
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"price_at_till, 30 lines, 200 promotions: median {statistics.median(times):.2f} ms, "
          f"p95 {p95:.2f} ms over {args.runs} runs (promotions gave {given / 100:.2f} yuan in all)")
    return 0 if p95 < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
