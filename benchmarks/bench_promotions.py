"""Pricing a 30-line cart with 200 active promotions (domain/promotions.apply_promotions).

    .venv/bin/python benchmarks/bench_promotions.py [--runs 2000] [--carts 200] [--seed 17]

A shop of 3 000 products in 60 categories; 200 promotions active now: 100 special prices (1–8
products each), 40 buy N pay M and 30 "N-th at X %" (on products or a category), 30 spend
thresholds (the order or a category; some repeating, some stackable, some member-only). Each of
``--carts`` carts has 30 lines, half of them drawn from promoted products so that promotions
overlap; every run prices one cart (the index of the promotions is built inside, once per cart,
as at the till). Prints the median and p95 in milliseconds; exit 1 when p95 >= 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.domain.promotion_rules import Kind, PromoLine, Promotion  # noqa: E402
from jxc_desktop.domain.promotions import apply_promotions  # noqa: E402

PRODUCTS = 3000
CATEGORIES = 60
NOW = datetime(2026, 12, 4, 18, 30)


def category_of(pid: int) -> int:
    return pid % CATEGORIES


def make_promotions(rng: random.Random) -> list[Promotion]:
    out: list[Promotion] = []
    starts, ends = NOW - timedelta(days=3), NOW + timedelta(days=4)
    for i in range(200):
        pid = i + 1
        common = dict(starts=starts, ends=ends, member_only=rng.random() < 0.15)
        if i < 100:
            prices = {rng.randrange(1, PRODUCTS): rng.randrange(100, 5000) for _ in range(rng.randint(1, 8))}
            out.append(Promotion(pid, f"特价{pid}", Kind.SPECIAL_PRICE, special_prices=tuple(prices.items()),
                                 **common))
            continue
        if i < 170:
            on_category = rng.random() < 0.3
            products = frozenset() if on_category else frozenset(rng.randrange(1, PRODUCTS) for _ in range(5))
            categories = frozenset({rng.randrange(CATEGORIES)}) if on_category else frozenset()
            n = rng.randint(2, 4)
            if i < 140:
                out.append(Promotion(pid, f"买{n}付{n - 1}", Kind.BUY_N_PAY_M, products, categories, n=n,
                                     m=rng.randint(1, n - 1), stackable=rng.random() < 0.1, **common))
            else:
                out.append(Promotion(pid, f"第{n}件半价", Kind.NTH_AT_PERCENT, products, categories, n=n, m=n - 1,
                                     pay_pct=rng.choice([0, 50, 70]), stackable=rng.random() < 0.1, **common))
            continue
        threshold = rng.choice([5000, 10000, 20000, 30000])
        categories = frozenset({rng.randrange(CATEGORIES)}) if rng.random() < 0.5 else frozenset()
        out.append(Promotion(pid, f"满{threshold // 100}减", Kind.THRESHOLD, frozenset(), categories,
                             threshold=threshold, reduction=threshold // rng.choice([10, 20]),
                             repeat=rng.random() < 0.5, stackable=rng.random() < 0.2, **common))
    return out


def make_cart(rng: random.Random, promos: list[Promotion]) -> list[PromoLine]:
    promoted = sorted({p for pr in promos for p in pr.scope_products()})
    lines = []
    for _ in range(30):
        pid = rng.choice(promoted) if rng.random() < 0.5 else rng.randrange(1, PRODUCTS)
        weighed = rng.random() < 0.15
        qty = rng.randrange(200, 3000) if weighed else rng.randint(1, 4) * 1000
        lines.append(PromoLine(pid, category_of(pid), qty, rng.randrange(100, 8000), manual=rng.random() < 0.03))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--carts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    promos = make_promotions(rng)
    carts = [make_cart(rng, promos) for _ in range(args.carts)]
    for cart in carts[:20]:  # warm-up
        apply_promotions(cart, NOW, True, promos)
    times: list[float] = []
    applied = 0
    for run in range(args.runs):
        cart = carts[run % len(carts)]
        t0 = time.perf_counter()
        result = apply_promotions(cart, NOW, run % 2 == 0, promos)
        times.append((time.perf_counter() - t0) * 1000)
        applied += len(result.applied)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"30-line cart, 200 active promotions, {args.runs} runs over {args.carts} carts: "
          f"median {statistics.median(times):.3f} ms, p95 {p95:.3f} ms, max {times[-1]:.3f} ms; "
          f"{applied / args.runs:.1f} promotions applied per cart")
    # On a shared, loaded machine a run may be preempted: the best of 3 back-to-back runs of each
    # cart shows the work itself (reported beside, not instead of, the figures above).
    best = sorted(min(_timed(cart, run % 2 == 0, promos) for _ in range(3)) for run, cart in enumerate(carts))
    print(f"per cart, best of 3: median {statistics.median(best):.3f} ms, "
          f"p95 {best[int(len(best) * 0.95) - 1]:.3f} ms, max {best[-1]:.3f} ms")
    worst = worst_case()
    print(f"worst linked cart (30 lines of one category, 3 category deals, a special price each): "
          f"median {worst:.3f} ms")
    return 0 if p95 < 5 else 1


def _timed(cart: list[PromoLine], member: bool, promos: list[Promotion]) -> float:
    t0 = time.perf_counter()
    apply_promotions(cart, NOW, member, promos)
    return (time.perf_counter() - t0) * 1000


def worst_case() -> float:
    """Every line a candidate of the same four promotions: one linked group, beyond exhaustive search."""
    promos = [Promotion(i, f"买{i + 1}付{i}", Kind.BUY_N_PAY_M, frozenset(), frozenset({1}), n=i + 1, m=i)
              for i in range(1, 4)]
    promos.append(Promotion(9, "特价", Kind.SPECIAL_PRICE, special_prices=tuple((p, 50) for p in range(30))))
    lines = [PromoLine(p, 1, 2000, 100 + p * 7) for p in range(30)]
    times = []
    for _ in range(21):
        t0 = time.perf_counter()
        apply_promotions(lines, NOW, False, promos)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    raise SystemExit(main())
