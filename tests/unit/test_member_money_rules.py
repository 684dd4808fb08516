"""The pure points and stored-value arithmetic (domain/member_money.py) and the tender methods."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.member_money import (
    cumulative_share,
    earned_points,
    earning_base,
    fen_for_points,
    line_points,
    points_for_fen,
)
from jxc_desktop.domain.tender import Tender, settle


@pytest.mark.parametrize(("fen", "per_yuan", "pct", "points"), [
    (12500, 1, 100, 125), (12599, 1, 100, 125), (12500, 1, 150, 187), (99, 1, 100, 0), (10000, 2, 90, 180),
    (10000, 0, 100, 0), (-500, 1, 100, 0), (10000, 1, 0, 0)])
def test_points_are_earned_per_yuan_rounded_down(fen: int, per_yuan: int, pct: int, points: int) -> None:
    assert earned_points(fen, per_yuan=per_yuan, points_pct=pct) == points


def test_points_paid_part_and_promoted_lines_earn_nothing() -> None:
    # 100 + 50 + 30 yuan, 18 yuan paid in points (spread by amount: 10, 5, 3), the 50 is promoted
    assert earning_base([10000, 5000, 3000], [True, False, True], 18000, 1800) == [9000, 0, 2700]
    shares = line_points([9000, 0, 2700], per_yuan=1, points_pct=100)
    assert shares == [90, 0, 27] and sum(shares) == 117
    # the sale's points come from the sum, so no line's rounding loses one
    assert sum(line_points([150, 150, 150], per_yuan=1, points_pct=100)) == 4


def test_points_tender_conversion() -> None:
    assert points_for_fen(500, 100) == 500
    assert points_for_fen(1, 50) == 1  # half a point rounds up: the points always cover the amount
    assert points_for_fen(1000, 10) == 100
    assert fen_for_points(150, 100) == 150 and fen_for_points(15, 10) == 150 and fen_for_points(1, 300) == 0
    with pytest.raises(ValidationError):
        points_for_fen(100, 0)


def test_member_tenders_settle_without_change() -> None:
    payments, paid, change = settle(13000, [Tender("stored_value", 6000), Tender("points", 500),
                                            Tender("cash", 7000)])
    assert [(p.method, p.amount) for p in payments] == [("cash", 6500), ("stored_value", 6000), ("points", 500)]
    assert (paid, change) == (13500, 500)
    with pytest.raises(ValidationError):  # stored value gives no change
        settle(1000, [Tender("stored_value", 1500)])


@given(st.integers(0, 10**7), st.integers(1, 10**6), st.lists(st.integers(1, 10**6), min_size=1, max_size=8))
def test_cumulative_shares_add_up_to_the_whole(whole: int, _unused: int, steps: list[int]) -> None:
    part_whole = sum(steps)
    done, taken = 0, 0
    for step in steps:
        piece = cumulative_share(whole, part_whole, done, step)
        assert piece >= 0
        taken += piece
        done += step
    assert taken == whole
