"""Scripted carts with overlapping promotions, totals to the fen (domain/promotions.py), by hand."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from jxc_desktop.domain.promotion_rules import Kind, PromoLine, Promotion
from jxc_desktop.domain.promotions import apply_promotions

FRI_10 = datetime(2026, 12, 4, 10, 0)  # a Friday


def ln(pid: int, cat: int | None, qty: int, price: int, manual: bool = False) -> PromoLine:
    return PromoLine(pid, cat, qty, price, manual)


def u(n: int) -> int:
    return n * 1000


def sp(pid: int, prices: dict[int, int], **kw) -> Promotion:
    return Promotion(pid, kw.pop("name", f"sp{pid}"), Kind.SPECIAL_PRICE, special_prices=tuple(prices.items()), **kw)


def buy(pid: int, n: int, m: int, products=(), categories=(), **kw) -> Promotion:
    return Promotion(pid, kw.pop("name", f"buy{pid}"), Kind.BUY_N_PAY_M, frozenset(products), frozenset(categories),
                     n=n, m=m, **kw)


def nth(pid: int, n: int, pct: int, products=(), categories=(), **kw) -> Promotion:
    return Promotion(pid, kw.pop("name", f"nth{pid}"), Kind.NTH_AT_PERCENT, frozenset(products), frozenset(categories),
                     n=n, m=n - 1, pay_pct=pct, **kw)


def thr(pid: int, threshold: int, reduction: int, categories=(), **kw) -> Promotion:
    return Promotion(pid, kw.pop("name", f"thr{pid}"), Kind.THRESHOLD, frozenset(kw.pop("products", ())),
                     frozenset(categories), threshold=threshold, reduction=reduction, **kw)


# (case, lines, promotions, member, moment, total, {promotion name: fen off}, per-line discounts or None)
CASES = [
    ("no promotion", [ln(1, 10, u(2), 1000)], [], False, FRI_10, 2000, {}, (0,)),
    ("special price", [ln(1, 10, u(2), 1000)], [sp(1, {1: 800})], False, FRI_10, 1600, {"sp1": 400}, (400,)),
    ("special price above the price is ignored", [ln(1, 10, u(2), 1000)], [sp(1, {1: 1200})], False, FRI_10,
     2000, {}, (0,)),
    ("special price on 1.250 kg", [ln(1, 10, 1250, 1999)], [sp(1, {1: 1599})], False, FRI_10, 1999, {"sp1": 500},
     (500,)),
    ("buy 2 pay 1, three units", [ln(2, 10, u(3), 500)], [buy(1, 2, 1, products=[2])], False, FRI_10, 1000,
     {"buy1": 500}, (500,)),
    ("buy 2 pay 1 pooled: the cheaper is free", [ln(2, 10, u(1), 500), ln(3, 10, u(1), 300)],
     [buy(1, 2, 1, products=[2, 3])], False, FRI_10, 500, {"buy1": 300}, (0, 300)),
    ("buy 2 pay 1 grouped dearest first", [ln(2, 1, u(1), 1000), ln(3, 1, u(1), 1000), ln(4, 1, u(1), 100)],
     [buy(1, 2, 1, categories=[1])], False, FRI_10, 1100, {"buy1": 1000}, (0, 1000, 0)),
    ("second at half price, odd fen", [ln(5, 20, u(2), 999)], [nth(1, 2, 50, categories=[20])], False, FRI_10,
     1499, {"nth1": 499}, (499,)),
    ("buy 2 pay 1 on 2.5 kg: whole units only", [ln(2, 10, 2500, 400)], [buy(1, 2, 1, products=[2])], False,
     FRI_10, 600, {"buy1": 400}, (400,)),
    ("special vs buy 2 pay 1: the better", [ln(1, 10, u(2), 1000)], [sp(1, {1: 800}), buy(2, 2, 1, products=[1])],
     False, FRI_10, 1000, {"buy2": 1000}, (1000,)),
    ("special vs buy 2 pay 1 on one unit", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}), buy(2, 2, 1, products=[1])],
     False, FRI_10, 800, {"sp1": 200}, (200,)),
    ("exact search beats line-by-line best", [ln(1, 10, u(1), 1000), ln(2, 10, u(1), 1000)],
     [sp(1, {1: 900}), buy(2, 2, 1, products=[1, 2]), sp(3, {2: 700})], False, FRI_10, 1000, {"buy2": 1000},
     (0, 1000)),
    ("threshold at exactly 100.00", [ln(1, 10, u(1), 10000)], [thr(1, 10000, 1000)], False, FRI_10, 9000,
     {"thr1": 1000}, (1000,)),
    ("threshold at 99.99: nothing", [ln(1, 10, u(1), 9999)], [thr(1, 10000, 1000)], False, FRI_10, 9999, {}, (0,)),
    ("threshold repeats per 100", [ln(1, 10, u(1), 25000)], [thr(1, 10000, 1000, repeat=True)], False, FRI_10,
     23000, {"thr1": 2000}, (2000,)),
    ("threshold once", [ln(1, 10, u(1), 25000)], [thr(1, 10000, 1000)], False, FRI_10, 24000, {"thr1": 1000},
     (1000,)),
    ("non-stackable threshold leaves out special-price lines", [ln(1, 10, u(5), 1000), ln(9, 10, u(1), 6000)],
     [sp(1, {1: 800}), thr(2, 10000, 1000)], False, FRI_10, 10000, {"sp1": 1000}, (1000, 0)),
    ("stackable threshold counts them at their special price", [ln(1, 10, u(5), 1000), ln(9, 10, u(1), 6000)],
     [sp(1, {1: 800}), thr(2, 10000, 1000, stackable=True)], False, FRI_10, 9000, {"sp1": 1000, "thr2": 1000},
     (1400, 600)),
    ("two thresholds: the larger only", [ln(1, 10, u(1), 20000)], [thr(1, 10000, 1000), thr(2, 20000, 3000)],
     False, FRI_10, 17000, {"thr2": 3000}, (3000,)),
    ("threshold plus a stackable threshold", [ln(1, 10, u(1), 10000)],
     [thr(1, 10000, 1000), thr(2, 5000, 500, stackable=True)], False, FRI_10, 8500, {"thr1": 1000, "thr2": 500},
     (1500,)),
    ("category threshold not reached", [ln(1, 10, u(1), 4000), ln(2, 20, u(1), 3000)],
     [thr(1, 5000, 500, categories=[10])], False, FRI_10, 7000, {}, (0, 0)),
    ("category threshold on its lines only", [ln(1, 10, u(1), 5000), ln(2, 20, u(1), 3000)],
     [thr(1, 5000, 500, categories=[10])], False, FRI_10, 7500, {"thr1": 500}, (500, 0)),
    ("member-only, not a member", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}, member_only=True)], False, FRI_10,
     1000, {}, (0,)),
    ("member-only, a member", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}, member_only=True)], True, FRI_10,
     800, {"sp1": 200}, (200,)),
    ("ended at this very minute", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}, ends=FRI_10)], False, FRI_10,
     1000, {}, (0,)),
    ("not started yet", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}, starts=datetime(2026, 12, 4, 10, 1))], False,
     FRI_10, 1000, {}, (0,)),
    ("started this minute", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}, starts=FRI_10)], False, FRI_10,
     800, {"sp1": 200}, (200,)),
    ("weekends only, on a Friday", [ln(1, 10, u(1), 1000)], [sp(1, {1: 800}, weekdays=frozenset({5, 6}))], False,
     FRI_10, 1000, {}, (0,)),
    ("happy hour 9-11 at 10:00", [ln(1, 10, u(1), 1000)],
     [sp(1, {1: 800}, daily_from=time(9), daily_to=time(11))], False, FRI_10, 800, {"sp1": 200}, (200,)),
    ("evening hours at 10:00", [ln(1, 10, u(1), 1000)],
     [sp(1, {1: 800}, daily_from=time(18), daily_to=time(22))], False, FRI_10, 1000, {}, (0,)),
    ("manual line takes nothing and counts for no threshold",
     [ln(1, 10, u(1), 10000, manual=True), ln(2, 10, u(1), 5000)], [sp(1, {1: 800}), thr(2, 10000, 1000)],
     False, FRI_10, 15000, {}, (0, 0)),
    ("stackable half price on top of a special price", [ln(1, 10, u(2), 1000)],
     [sp(1, {1: 800}), nth(2, 2, 50, products=[1], stackable=True)], False, FRI_10, 1100,
     {"sp1": 400, "nth2": 500}, (900,)),
    ("stackable deal cut at the line's value", [ln(1, 10, u(2), 1000)],
     [sp(1, {1: 100}), buy(2, 2, 1, products=[1], stackable=True)], False, FRI_10, 0,
     {"sp1": 1800, "buy2": 200}, (2000,)),
    ("threshold spread, leftover fen to the largest remainder",
     [ln(1, 10, u(1), 3333), ln(2, 10, u(1), 3333), ln(3, 10, u(1), 3334)], [thr(1, 10000, 1000)], False,
     FRI_10, 9000, {"thr1": 1000}, (333, 333, 334)),
    ("buy 3 pay 2 over six mixed units", [ln(1, 5, u(4), 300), ln(2, 5, u(2), 200)],
     [buy(1, 3, 2, categories=[5])], False, FRI_10, 1100, {"buy1": 300 + 200}, (300, 200)),
    # step 5: a threshold instead of line deals, when it gives the customer more
    ("a small special price gives way to the threshold", [ln(1, 10, u(1), 10000)],
     [sp(1, {1: 9900}), thr(2, 10000, 1000)], False, FRI_10, 9000, {"thr2": 1000}, (1000,)),
    ("a large special price keeps its line out of the threshold", [ln(1, 10, u(1), 10000)],
     [sp(1, {1: 5000}), thr(2, 10000, 1000)], False, FRI_10, 5000, {"sp1": 5000}, (5000,)),
    ("only the cheapest special price is given up to reach the threshold",
     [ln(1, 10, u(1), 6000), ln(2, 10, u(1), 5000), ln(3, 10, u(1), 4500)],
     [sp(1, {1: 5950, 2: 4000}), thr(2, 10000, 1000)], False, FRI_10, 13500, {"sp1": 1000, "thr2": 1000},
     (571, 1000, 429)),
    ("every 100 less 10 beats 2.00 off per unit", [ln(1, 10, u(2), 10000)],
     [sp(1, {1: 9800}), thr(2, 10000, 1000, repeat=True)], False, FRI_10, 18000, {"thr2": 2000}, (2000,)),
    ("a category threshold takes back only its category's line",
     [ln(1, 10, u(1), 9000), ln(2, 20, u(1), 3000)], [sp(1, {1: 8900, 2: 2000}), thr(2, 5000, 1000, categories=[10])],
     False, FRI_10, 10000, {"sp1": 1000, "thr2": 1000}, (1000, 1000)),
    ("a tie keeps the line promotion", [ln(1, 10, u(1), 10000)],
     [sp(1, {1: 9000}), thr(2, 10000, 1000)], False, FRI_10, 9000, {"sp1": 1000}, (1000,)),
]


@pytest.mark.parametrize(("case", "lines", "promos", "member", "moment", "total", "applied", "per_line"),
                         CASES, ids=[c[0] for c in CASES])
def test_cart(case, lines, promos, member, moment, total, applied, per_line) -> None:
    result = apply_promotions(lines, moment, member, promos)
    assert result.total == total
    assert {a.name: a.amount for a in result.applied} == applied
    assert result.subtotal - result.discount == result.total
    assert sum(a.amount for a in result.applied) == result.discount
    if per_line is not None:
        assert result.line_discounts == per_line


def test_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


def test_applied_lines_name_the_input_lines() -> None:
    lines = [ln(3, 10, u(1), 300), ln(2, 10, u(1), 500)]
    result = apply_promotions(lines, FRI_10, False, [buy(1, 2, 1, products=[2, 3])])
    assert result.applied[0].lines == ((0, 300),)
