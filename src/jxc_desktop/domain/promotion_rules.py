"""What a promotion is and what one promotion alone gives a set of cart lines (pure).

The kinds, their fields, when a promotion is active, and the arithmetic of each kind to the fen.
Which promotions apply when several could is domain/promotions.py, which uses these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from functools import cached_property

from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.pricing import line_value
from jxc_desktop.domain.quantity import MILLI


class Kind(StrEnum):
    SPECIAL_PRICE = "special_price"  # 特价: a price per product for a period
    BUY_N_PAY_M = "buy_n_pay_m"  # 买N付M: in each group of N units, the N-M cheapest are free
    NTH_AT_PERCENT = "nth_at_percent"  # 第N件X%: in each group of N units, the cheapest pays X %
    THRESHOLD = "threshold"  # 满减: spend ``threshold`` fen, get ``reduction`` fen off

    @property
    def line_level(self) -> bool:
        return self is not Kind.THRESHOLD


@dataclass(frozen=True)
class Promotion:
    """One promotion as the pure rules see it (the database row, flattened).

    Scope: a line is in scope when its product is in ``product_ids`` or its category in
    ``category_ids``; a threshold with both empty covers the whole order. A special price's scope
    is the products of ``special_prices``. Times are local wall-clock; ``ends`` is exclusive,
    ``None`` means open. ``weekdays`` (0 = Monday) and the daily window [``daily_from``,
    ``daily_to``) narrow it further when given.
    """

    id: int
    name: str
    kind: Kind
    product_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()
    special_prices: tuple[tuple[int, int], ...] = ()  # (product id, fen per unit)
    n: int = 0  # group size (buy N / every N-th)
    m: int = 0  # units paid in full per group (buy N pay M); N-1 for the N-th at X %
    pay_pct: int = 0  # what a discounted unit pays, in percent (0 = free)
    threshold: int = 0  # fen
    reduction: int = 0  # fen
    repeat: bool = False  # 每满: the reduction again for every full threshold
    member_only: bool = False
    stackable: bool = False
    starts: datetime | None = None
    ends: datetime | None = None
    weekdays: frozenset[int] = frozenset()
    daily_from: time | None = None
    daily_to: time | None = None
    _prices: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prices", dict(self.special_prices))

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.id, self.name)

    def special_price(self, product_id: int) -> int | None:
        return self._prices.get(product_id)

    def scope_products(self) -> Iterable[int]:
        return self._prices.keys() if self.kind is Kind.SPECIAL_PRICE else self.product_ids

    def covers(self, product_id: int, category_id: int | None) -> bool:
        if self.kind is Kind.SPECIAL_PRICE:
            return product_id in self._prices
        if not self.product_ids and not self.category_ids:
            return self.kind is Kind.THRESHOLD
        return product_id in self.product_ids or (category_id is not None and category_id in self.category_ids)

    def active_at(self, moment: datetime, member: bool) -> bool:
        if self.member_only and not member:
            return False
        if self.starts is not None and moment < self.starts:
            return False
        if self.ends is not None and moment >= self.ends:
            return False
        if self.weekdays and moment.weekday() not in self.weekdays:
            return False
        now = moment.time()
        if self.daily_from is not None and now < self.daily_from:
            return False
        return not (self.daily_to is not None and now >= self.daily_to)


@dataclass(frozen=True)
class PromoLine:
    """A cart line as promotions see it. ``manual``: already at a manual price or discount — such a
    line keeps its price, takes no promotion and counts towards no threshold. ``amount``: the
    line's value in fen when it is not qty × price (a scale label's amount, a manual discount)."""

    product_id: int
    category_id: int | None
    qty: int  # thousandths
    unit_price: int  # fen per unit
    manual: bool = False
    amount: int | None = None

    @cached_property  # read many times per pricing; the line is immutable
    def gross(self) -> int:
        return self.amount if self.amount is not None else line_value(self.qty, self.unit_price)


def special_price_discount(promo: Promotion, line: PromoLine) -> int:
    """What a special price takes off one line (nothing when it is not below the line's price)."""
    price = promo.special_price(line.product_id)
    if price is None or price >= line.unit_price:
        return 0
    return max(0, min(line.gross, line.gross - line_value(line.qty, price)))


def _discounted_before(x: int, n: int, m: int) -> int:
    """Of unit positions 0..x-1 (grouped by n), how many are past the m paid ones of their group."""
    return (x // n) * (n - m) + max(0, x % n - m)


def quantity_discounts(promo: Promotion, lines: Sequence[tuple[int, PromoLine]]) -> dict[int, int]:
    """Buy N pay M / the N-th at X % over ``lines`` (key, line) pooled: only whole units count
    (1.5 kg is one unit, the half pays full price). Units are sorted by price, dearest first, and cut
    into consecutive groups of N; in each full group the last N-M units (the cheapest) are
    discounted — the grouping that gives the customer the most, so adding a unit never lowers
    the discount. Equal prices keep the order of ``lines``. A discounted unit pays ``pay_pct`` % of
    its price, rounded per line (half up): {key: fen off}."""
    n, m = promo.n, promo.m
    runs = [(key, line.qty // MILLI, line.unit_price) for key, line in lines if line.qty >= MILLI]
    runs = [r for r in runs if r[1] > 0]
    if n <= 0 or not runs:
        return {}
    runs.sort(key=lambda r: -r[2])  # stable: equal prices keep the caller's order
    total = sum(r[1] for r in runs)
    full = (total // n) * n
    out: dict[int, int] = {}
    start = 0
    for key, count, price in runs:
        end = start + count
        k = _discounted_before(min(end, full), n, m) - _discounted_before(min(start, full), n, m)
        if k > 0:
            off = k * price - div_round(k * price * promo.pay_pct, 100)
            if off > 0:
                out[key] = out.get(key, 0) + off
        start = end
    return out


def threshold_reduction(promo: Promotion, base: int) -> int:
    """满减 on ``base`` fen: the reduction once it reaches the threshold, or once per full threshold
    when ``repeat``; never more than the base."""
    if promo.threshold <= 0 or base < promo.threshold:
        return 0
    times = base // promo.threshold if promo.repeat else 1
    return min(base, promo.reduction * times)
