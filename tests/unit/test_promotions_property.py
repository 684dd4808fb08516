"""Properties of apply_promotions over random carts and promotions: never above the cart total, never
negative, no line raised above its price nor taken below zero, the same whatever the line order, and
never less off than the line promotions first and thresholds after (the best for the customer)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from jxc_desktop.domain import promotions
from jxc_desktop.domain.promotion_rules import (
    Kind,
    PromoLine,
    Promotion,
    quantity_discounts,
    special_price_discount,
)
from jxc_desktop.domain.promotions import apply_promotions

MOMENT = datetime(2026, 12, 4, 10, 0)
PRODUCTS = st.integers(1, 6)
CATEGORIES = st.integers(1, 3)

lines_st = st.lists(st.builds(
    PromoLine, PRODUCTS, st.one_of(st.none(), CATEGORIES),
    st.one_of(st.integers(1, 5).map(lambda n: n * 1000), st.integers(1, 4000)),
    st.integers(0, 20_000), st.booleans()), max_size=8)


@st.composite
def promotion_st(draw, pid: int) -> Promotion:
    kind = draw(st.sampled_from(list(Kind)))
    common = dict(member_only=draw(st.booleans()), stackable=draw(st.booleans()))
    products = frozenset(draw(st.lists(PRODUCTS, max_size=3)))
    categories = frozenset(draw(st.lists(CATEGORIES, max_size=2)))
    if kind is Kind.SPECIAL_PRICE:
        prices = draw(st.dictionaries(PRODUCTS, st.integers(0, 20_000), min_size=1, max_size=3))
        return Promotion(pid, f"p{pid}", kind, special_prices=tuple(prices.items()), **common)
    if kind is Kind.THRESHOLD:
        threshold = draw(st.integers(1, 30_000))
        return Promotion(pid, f"p{pid}", kind, products, categories, threshold=threshold,
                         reduction=draw(st.integers(0, threshold - 1)), repeat=draw(st.booleans()), **common)
    n = draw(st.integers(2, 4))
    if kind is Kind.BUY_N_PAY_M:
        return Promotion(pid, f"p{pid}", kind, products | {1}, categories, n=n, m=draw(st.integers(1, n - 1)),
                         **common)
    return Promotion(pid, f"p{pid}", kind, products | {1}, categories, n=n, m=n - 1,
                     pay_pct=draw(st.integers(0, 100)), **common)


promotions_st = st.integers(0, 6).flatmap(lambda k: st.tuples(*(promotion_st(i + 1) for i in range(k))))


@settings(max_examples=400, deadline=None)
@given(lines=lines_st, promos=promotions_st, member=st.booleans(), seed=st.randoms(use_true_random=False))
def test_promotion_result_bounds_and_order(lines, promos, member, seed) -> None:
    result = apply_promotions(lines, MOMENT, member, list(promos))
    subtotal = sum(line.gross for line in lines)
    assert result.subtotal == subtotal
    assert 0 <= result.discount <= subtotal
    assert 0 <= result.total <= subtotal
    for line, off in zip(lines, result.line_discounts, strict=True):
        assert 0 <= off <= line.gross  # never below zero, never above its price
        if line.manual:
            assert off == 0
    assert sum(a.amount for a in result.applied) == result.discount
    for a in result.applied:
        assert a.amount > 0 and sum(v for _, v in a.lines) == a.amount

    # the best for the customer: never less than the line promotions first, thresholds after (step 5)
    assert result.discount >= _lines_first(lines, member, list(promos))

    order = list(range(len(lines)))
    seed.shuffle(order)
    shuffled = apply_promotions([lines[i] for i in order], MOMENT, member, list(reversed(promos)))
    assert shuffled.total == result.total
    assert {a.promotion_id: a.amount for a in shuffled.applied} == {a.promotion_id: a.amount for a in result.applied}
    # Per line, the same discounts (identical lines may swap theirs).
    assert Counter(zip(lines, result.line_discounts, strict=True)) == Counter(
        zip([lines[i] for i in order], shuffled.line_discounts, strict=True))


def _lines_first(lines, member, promos) -> int:  # type: ignore[no-untyped-def]
    """The discount of steps 1–4 alone (no threshold tried instead of line deals)."""
    index = promotions._Index(promos, MOMENT, member)
    order = promotions._canonical(lines)
    eligible = [k for k in order if not lines[k].manual and lines[k].gross > 0]
    by_line = {k: index.line_promotions(lines[k]) for k in eligible}
    return sum(promotions._price(index, lines, order, eligible, by_line).off)


def _brute_force_best(lines, promos) -> int:  # type: ignore[no-untyped-def]
    """The largest line-level discount over EVERY assignment of lines to one promotion or none."""
    options = []
    for line in lines:
        mine = [p for p in promos if not line.manual and line.gross > 0 and p.covers(line.product_id, line.category_id)]
        options.append([None, *mine])
    best = 0
    for pick in itertools.product(*options):
        total = 0
        for promo in {p.id: p for p in pick if p is not None}.values():
            keys = [k for k, p in enumerate(pick) if p is not None and p.id == promo.id]
            if promo.kind is Kind.SPECIAL_PRICE:
                total += sum(special_price_discount(promo, lines[k]) for k in keys)
            else:
                total += sum(quantity_discounts(promo, [(k, lines[k]) for k in keys]).values())
        best = max(best, total)
    return best


line_level = st.integers(0, 4).flatmap(lambda k: st.tuples(*(promotion_st(i + 1) for i in range(k)))).map(
    lambda ps: tuple(p for p in ps if p.kind is not Kind.THRESHOLD and not p.stackable and not p.member_only))


@settings(max_examples=300, deadline=None)
@given(lines=lines_st.map(lambda ls: ls[:5]), promos=line_level)
def test_the_exclusive_choice_is_the_best_assignment(lines, promos) -> None:
    """Exact, not greedy: no assignment of lines to promotions gives the cart more."""
    result = apply_promotions(lines, MOMENT, False, list(promos))
    assert result.discount == _brute_force_best(lines, promos)
