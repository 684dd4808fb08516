"""Turnover and days of inventory month by month, sell-through and days of cover, dead stock —
on the two-year shop of season_scenario.py, worked out by hand to the fen.

The ledger (all at the purchase cost, so the moving average never moves):
  2025-01-01 in: W1 20 × 60.00 = 1 200.00, D1 100 × 3.00 = 300.00, D2 100 × 1.00 = 100.00, S1 50 × 2.00 = 100.00
  2025 out at cost: W1 2 (120.00) + 1 (60.00), D1 10 (30.00), D2 5 (5.00)
  -> 2026-01-01 opening 1 485.00: 冬装 1 020.00, 饮料 365.00 (D1 270.00 + D2 95.00), 零食 100.00
  2026 out at cost: Jan W1 3 = 180.00; Feb S1 4 = 8.00; Jul D1 20 = 60.00 − 2 back = 6.00; Aug D2 10 = 10.00
"""

from __future__ import annotations

from datetime import date

import pytest

from jxc_desktop.domain.periods import Period
from jxc_desktop.services.hub import Services
from tests.unit import season_scenario
from tests.unit.season_scenario import Shop

pytestmark = pytest.mark.clock  # its own dates: must give the same figures at any instant and zone

Y2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))


@pytest.fixture
def shop(services: Services, make_product) -> Shop:  # type: ignore[no-untyped-def]
    return season_scenario.build(services, make_product)


def flow(row) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return (row.opening, row.sales, row.closing, row.cogs, row.turnover_x100, row.days_of_inventory)


def test_turnover_month_by_month(services: Services, shop: Shop) -> None:
    rep = services.reports.turnover(Y2026, "month")
    rows = {r.key: r for r in rep.rows}
    assert list(rows) == [f"2026-{m:02d}" for m in range(1, 13)]
    # January: 180.00 out of 1 485.00 -> 1 305.00; turnover 18000 × 2 ÷ 279000 = 0.129 -> 0.13;
    # days 279000 × 31 ÷ (2 × 18000) = 240.25 -> 240
    assert flow(rows["2026-01"]) == (148500, -18000, 130500, 18000, 13, 240)
    assert flow(rows["2026-02"]) == (130500, -800, 129700, 800, 1, 4554)  # 260200 × 28 ÷ 1600 = 4553.5
    assert flow(rows["2026-03"]) == (129700, 0, 129700, 0, 0, None)  # nothing sold: no days of inventory
    assert flow(rows["2026-07"]) == (129700, -5400, 124300, 5400, 4, 729)  # 254000 × 31 ÷ 10800 = 729.07
    assert flow(rows["2026-08"]) == (124300, -1000, 123300, 1000, 1, 3838)  # 247600 × 31 ÷ 2000 = 3837.8
    assert flow(rows["2026-12"])[:4] == (123300, 0, 123300, 0)
    # the year: 252.00 out, average (1 485.00 + 1 233.00) ÷ 2; 5 040 000 ÷ 271 800 = 18.54; 99 207 000 ÷ 50 400
    assert flow(rep.total) == (148500, -25200, 123300, 25200, 19, 1968)
    assert flow(rep.total) == flow(services.reports.turnover(Y2026).total)  # the category report agrees


def test_turnover_by_category_and_month(services: Services, shop: Shop) -> None:
    rep = services.reports.turnover(Y2026, "category_month")
    drinks = {r.month: r for r in rep.rows if r.label == "饮料"}  # type: ignore[attr-defined]
    assert len(drinks) == 12  # stock all year: every month shows
    assert flow(drinks["2026-06"]) == (36500, 0, 36500, 0, 0, None)
    # July: 54.00 out of 365.00; 1 080 000 ÷ 67 600 = 15.98 -> 16 (0.16); 67600 × 31 ÷ 10800 = 194.04
    assert flow(drinks["2026-07"]) == (36500, -5400, 31100, 5400, 16, 194)
    assert flow(drinks["2026-08"]) == (31100, -1000, 30100, 1000, 3, 949)  # 61200 × 31 ÷ 2000 = 948.6
    winter = {r.month: r for r in rep.rows if r.label == "冬装"}  # type: ignore[attr-defined]
    # 3 600 000 ÷ 186 000 = 19.35 -> 0.19; 186000 × 31 ÷ 36000 = 160.17 -> 160
    assert flow(winter["2026-01"]) == (102000, -18000, 84000, 18000, 19, 160)


def test_a_month_at_the_edge_counts_its_days_in_the_period(services: Services, shop: Shop) -> None:
    rep = services.reports.turnover(Period(date(2026, 7, 15), date(2026, 8, 10)), "month")
    july, august = rep.rows
    assert flow(july) == (124300, 0, 124300, 0, 0, None)  # the July sale and return are before the 15th
    assert flow(august) == (124300, -1000, 123300, 1000, 1, 1238)  # 10 days: 247600 × 10 ÷ 2000


def test_sell_through_and_days_of_cover(services: Services, shop: Shop) -> None:
    rep = services.reports.cover(JULY, "product")
    got = [(r.key, r.sold_qty, r.held_qty, r.cogs, r.held_value, r.sell_through_bp, r.days_of_cover)
           for r in rep.rows]
    # held without a sale first (no cover figure), by code; then cola: 18 sold, 72 left:
    # 18 ÷ 90 = 20.00 %, 72 ÷ (18 ÷ 31 days) = 124 days
    assert got == [(shop.w1, 0, 14000, 0, 84000, 0, None), (shop.d2, 0, 95000, 0, 9500, 0, None),
                   (shop.s1, 0, 46000, 0, 9200, 0, None), (shop.d1, 18000, 72000, 5400, 21600, 2000, 124)]
    cats = {r.label: r for r in services.reports.cover(JULY, "category").rows}
    # drinks at cost: 54.00 sold, 216.00 + 95.00 left: 5400 ÷ 36500 = 14.79 %; 31100 × 31 ÷ 5400 = 178.5 -> 179
    d = cats["饮料"]
    assert (d.cogs, d.held_value, d.sell_through_bp, d.days_of_cover) == (5400, 31100, 1479, 179)
    total = services.reports.cover(JULY, "category").total
    # 5400 ÷ 129700 = 4.16 %; 124300 × 31 ÷ 5400 = 713.6 -> 714
    assert (total.cogs, total.held_value, total.sell_through_bp, total.days_of_cover) == (5400, 124300, 416, 714)


def test_dead_stock_no_sale_in_n_days(services: Services, shop: Shop) -> None:
    today = date(2026, 12, 31)
    rep = services.reports.slow_movers(90, today=today)
    assert [(r.key, r.value, r.last_sale, r.days_idle) for r in rep.rows] == [
        (shop.w1, 84000, date(2026, 1, 12), 353), (shop.d1, 21600, date(2026, 7, 8), 176),
        (shop.s1, 9200, date(2026, 2, 3), 331), (shop.d2, 8500, date(2026, 8, 1), 152)]  # 85 waters left
    assert rep.total.value == 123300  # the value tied up: December's closing stock, nothing sold since August
    # the water's last sale, 1 August, is the 153rd day back from 31 December
    assert shop.d2 in {r.key for r in services.reports.slow_movers(152, today=today).rows}
    assert shop.d2 not in {r.key for r in services.reports.slow_movers(153, today=today).rows}
