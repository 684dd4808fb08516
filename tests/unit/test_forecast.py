"""The forecast arithmetic (domain/forecast.py) on tiny series worked out by hand."""

from __future__ import annotations

import math

import pytest

from jxc_desktop.domain.forecast import (
    demand_over,
    forecast,
    safety_stock,
    smooth,
    spread,
    to_milli,
    weekday_factors,
)
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.reorder_rule import seasonal_qty, z_for


def _seasonal_blocks(recent: float) -> list[float]:
    """56 weeks: the last 4 at ``recent``, last year's weeks ahead (blocks 44..51) at 30, the rest 10."""
    blocks = [10.0] * 56
    for i in range(4):
        blocks[i] = recent
    for i in range(44, 52):
        blocks[i] = 30.0
    return blocks


def test_too_short_a_history_is_the_flat_average_of_the_last_four_weeks() -> None:
    f = forecast([7.0, 7.0, 14.0, 0.0], weeks=2, first_weekday=0, own_weeks_known=4)
    assert f.source == "none" and f.trend == 0.0
    assert f.level == 7.0 and f.weeks == (7.0, 7.0)
    assert f.daily == (1.0,) * 14
    assert f.spread == pytest.approx(4.9497, abs=1e-4)  # σ of 7, 7, 14, 0


def test_smoothing_weights_neighbours_one_two_one() -> None:
    assert smooth([10.0, 30.0, 50.0], 1) == 30.0
    assert smooth([10.0, 30.0, 50.0], 0) == pytest.approx(50.0 / 3)  # edge: (2·10 + 30) / 3


def test_own_season_index_scales_last_years_weeks_by_this_years_level() -> None:
    f = forecast(_seasonal_blocks(20.0), weeks=2, first_weekday=0, own_weeks_known=56)
    assert f.source == "product"
    # last year's same 4 weeks, smoothed: 15, 10, 10, 10 (=45); ahead: 25 then 30 (units a week).
    # forecast = this year's 80 over those 4 weeks × last year's week / 45
    assert f.weeks[0] == pytest.approx(80 * 25 / 45)
    assert f.weeks[1] == pytest.approx(80 * 30 / 45)
    mean = (80 + 40 * 10 + 8 * 30) / 52
    assert f.season[1] == pytest.approx(30 / mean)
    assert f.trend == 0.0  # 56 weeks: no trend before 60


def test_a_sparse_product_takes_its_categorys_index_with_its_own_level() -> None:
    mine = [2.0] * 4 + [0.0] * 52  # 8 units in the last 4 weeks, none last year
    f = forecast(mine, weeks=2, first_weekday=0, own_weeks_known=56, category_blocks=_seasonal_blocks(20.0))
    assert f.source == "category"
    assert f.weeks[0] == pytest.approx(8 * 25 / 45)
    assert f.weeks[1] == pytest.approx(8 * 30 / 45)


def test_a_new_product_takes_the_category_index_even_when_it_sells_well() -> None:
    mine = _seasonal_blocks(20.0)
    f = forecast(mine, weeks=1, first_weekday=0, own_weeks_known=20, category_blocks=[10.0] * 56)
    assert f.source == "category"
    assert f.weeks[0] == pytest.approx(20.0)  # a flat category: this product's last 4 weeks


def test_trend_is_capped_at_five_percent_a_week() -> None:
    blocks = [20.0] * 4 + [10.0] * 56  # the last 4 weeks double the 4 before: +19 % a week
    f = forecast(blocks, weeks=2, first_weekday=0, own_weeks_known=60)
    assert f.trend == 0.05
    assert f.weeks[0] == pytest.approx(20 * 1.05)
    assert f.weeks[1] == pytest.approx(20 * 1.05 ** 2)


def test_weekday_shape_spreads_a_week_over_its_days() -> None:
    assert weekday_factors([0] * 7) == (1.0,) * 7
    shape = weekday_factors([1, 1, 1, 1, 1, 2, 1])  # Saturday sells twice the other days
    assert sum(shape) == pytest.approx(7.0)
    f = forecast([7.0] * 4, weeks=1, first_weekday=3, own_weeks_known=4, weekday_totals=[1, 1, 1, 1, 1, 2, 1])
    # today is a Thursday: Thu, Fri, Sat, Sun, Mon, Tue, Wed
    assert f.daily[2] == pytest.approx(7 / 7 * 14 / 8)
    assert f.daily[0] == pytest.approx(7 / 8)
    assert sum(f.daily) == pytest.approx(7.0)


def test_rounding_and_demand_over_days() -> None:
    assert to_milli(0.0005) == 1 and to_milli(0.00049) == 0 and to_milli(1.2344) == 1234
    assert demand_over([1.0, 2.0], 2) == 3.0
    assert demand_over([1.0, 2.0], 4) == 7.0  # the last day's rate beyond the forecast
    assert safety_stock(7.0, 1.64, 28) == pytest.approx(1.64 * 7 * 2)


def test_z_for_service_levels() -> None:
    assert z_for(95) == 1.64 and z_for(90) == 1.28 and z_for(98) == 2.05
    assert z_for(100) == z_for(99.9)


U = MILLI


def test_seasonal_quantity_rounds_up_to_packs() -> None:
    r = seasonal_qty(stock=5 * U, min_stock=0, max_stock=0, demand=20 * U, safety=3 * U, pack=12)
    assert (r.target, r.qty) == (23 * U, 24 * U)  # 18 needed → two cases of 12


def test_seasonal_quantity_stays_under_the_maximum() -> None:
    r = seasonal_qty(stock=5 * U, min_stock=0, max_stock=25 * U, demand=20 * U, safety=3 * U, pack=12)
    assert r.qty == 12 * U  # two cases would make 29 > 25: one case
    r = seasonal_qty(stock=5 * U, min_stock=0, max_stock=20 * U, demand=40 * U, safety=3 * U, pack=1)
    assert (r.target, r.qty) == (20 * U, 15 * U)
    r = seasonal_qty(stock=15 * U, min_stock=0, max_stock=20 * U, demand=40 * U, safety=0, pack=12)
    assert r.qty == 12 * U  # one case is the least order, even past the maximum


def test_seasonal_quantity_fills_to_the_minimum_and_orders_nothing_when_covered() -> None:
    r = seasonal_qty(stock=4 * U, min_stock=10 * U, max_stock=0, demand=2 * U, safety=0, pack=1)
    assert (r.target, r.qty) == (10 * U, 6 * U)
    r = seasonal_qty(stock=30 * U, min_stock=0, max_stock=0, demand=20 * U, safety=3 * U, pack=1)
    assert r.qty == 0


def test_a_season_coming_is_not_taken_for_noise() -> None:
    # 60 weeks of a perfect yearly cycle: each week sells what the same week sold last year
    blocks = [20.0 + 10.0 * math.cos(2 * math.pi * (i + 10) / 52) for i in range(60)]
    f = forecast(blocks, weeks=2, first_weekday=0, own_weeks_known=60)
    assert spread(blocks) > 2.5  # the last 8 weeks do differ: the season moving …
    assert f.spread < spread(blocks) / 10  # … which is not noise (what is left: the smoothing, the edge)
    assert f.season_ratio(7) == pytest.approx(f.season[0] / f.recent_season)


def test_a_sparse_product_follows_its_categorys_trend_not_its_own_noise() -> None:
    mine = [1.0, 0.0, 3.0, 0.0] + [0.0, 0.0, 0.0, 1.0] + [0.0] * 52  # "4 against 1": noise
    category = [20.0] * 4 + [10.0] * 56  # the category did double: +5 % a week (capped)
    f = forecast(mine, weeks=1, first_weekday=0, own_weeks_known=60, category_blocks=category)
    assert f.source == "category" and f.trend == 0.05
    flat_category = forecast(mine, weeks=1, first_weekday=0, own_weeks_known=60, category_blocks=[10.0] * 60)
    assert flat_category.trend == 0.0
    assert flat_category.weeks[0] == pytest.approx(1.0)  # its own 4 weeks: 4 units
