"""Price and discount arithmetic (domain/pricing.py): shares that add up to the fen, percentages,
the discount limits, a price label's quantity and the pieces of partial returns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jxc_desktop.domain import pricing as pr
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.quantity import MILLI


@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=20), st.integers(0, 10**6))
@settings(max_examples=60, deadline=None)
def test_allocate_sums_exactly(weights: list[int], amount: int) -> None:
    amount = min(amount, sum(weights))
    shares = pr.allocate(amount, weights)
    assert sum(shares) == amount
    assert all(0 <= s <= w for s, w in zip(shares, weights, strict=True))


def test_allocate_ties_go_to_the_earlier_line_and_nothing_to_spread() -> None:
    assert pr.allocate(100, [100, 100, 100]) == [34, 33, 33]
    assert pr.allocate(0, [5, 5]) == [0, 0]
    assert pr.allocate(7, [0, 0]) == [0, 0]


def test_discount_text() -> None:
    assert pr.discount_from_text("10%", 1234) == 123
    assert pr.discount_from_text(" 10 % ", 1234) == 123
    assert pr.discount_from_text("2.5", 0) == 250
    with pytest.raises(ValidationError):
        pr.discount_from_text("120%", 100)
    with pytest.raises(ValidationError):
        pr.discount_from_text("abc", 100)
    with pytest.raises(ValidationError):
        pr.discount_from_text("-5%", 100)


def test_line_value_and_percent_round_half_up() -> None:
    assert pr.line_value(1250, 1999) == 2499  # 1.25 kg at 19.99 = 24.9875
    assert pr.line_value(500, 1) == 1  # half a fen rounds up
    assert pr.percent_of(1234, 10) == 123
    assert pr.percent_of(5, 10) == 1  # 0.5 fen rounds up


def test_limits_measure_price_cuts_against_the_catalogue_value() -> None:
    limits = pr.Limits(max_line_discount_pct=10, max_sale_discount_pct=5)
    pr.check_line_limit("茶", 1000, 900, limits)  # exactly 10 % off
    with pytest.raises(pr.DiscountLimitError, match="allowed"):
        pr.check_line_limit("茶", 1000, 899, limits)
    pr.check_sale_limit(50, 1000, limits)
    with pytest.raises(pr.DiscountLimitError):
        pr.check_sale_limit(51, 1000, limits)
    assert issubclass(pr.DiscountLimitError, ValidationError)


@given(st.integers(1, 10**8), st.integers(1, 10**6))
@settings(max_examples=80, deadline=None)
def test_qty_for_amount_is_what_the_label_amount_buys(amount: int, unit_price: int) -> None:
    qty = pr.qty_for_amount(amount, unit_price)
    assert qty >= 1
    if qty > 1:  # the value of that quantity is the label's amount to within half a thousandth's value
        assert abs(qty * unit_price - amount * MILLI) * 2 <= unit_price


@given(st.integers(0, 10**7), st.lists(st.integers(1, 5000), min_size=1, max_size=8))
@settings(max_examples=80, deadline=None)
def test_prorated_pieces_add_up_to_the_whole(total: int, parts: list[int]) -> None:
    """Returning a line in pieces: each piece its share, the last what is left; together exactly the line."""
    whole = sum(parts)
    done = 0
    for i, part in enumerate(parts):
        piece = pr.prorate(total, part, whole, done, i == len(parts) - 1)
        if i < len(parts) - 1:
            assert piece == div_round(total * part, whole)
        done += piece
    assert done == total


def test_prorate_single_piece() -> None:
    assert pr.prorate(1000, 1, 3, 0, False) == 333
    assert pr.prorate(1000, 2, 3, 333, True) == 667
