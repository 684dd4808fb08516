"""The season table, 同比 and ABC classes on the two-year shop of season_scenario.py, by hand."""

from __future__ import annotations

from datetime import date

import pytest

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import (
    abc_classes,
    change_tenths,
    months_of,
    previous_period,
    same_period_last_year,
    tenths_as_pct,
)
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.dto import ColKind, ReportKind, ReportRequest, format_value, heat_color
from tests.unit import season_scenario
from tests.unit.season_scenario import Shop

pytestmark = pytest.mark.clock  # its own dates: must give the same figures at any instant and zone

Y2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
MONTHS_2026 = [f"2026-{m:02d}" for m in range(1, 13)]


@pytest.fixture
def shop(services: Services, make_product) -> Shop:  # type: ignore[no-untyped-def]
    return season_scenario.build(services, make_product)


# ---------------------------------------------------------------- pure rules


def test_change_in_percent_is_rounded_once_half_away_from_zero() -> None:
    assert change_tenths(11000, 6000) == 833  # +83.333 %
    assert change_tenths(42200, 36000) == 172  # +17.222 %
    assert change_tenths(2001, 2000) == 1  # +0.05 % -> 0.1 (half away from zero)
    assert change_tenths(1999, 2000) == -1  # −0.05 % -> −0.1
    assert change_tenths(0, 500) == -1000
    assert change_tenths(500, -500) == 2000  # a negative base: the change over its size
    assert change_tenths(5, 0) is None and tenths_as_pct(None) is None
    assert tenths_as_pct(833) == 83.3
    assert format_value(ColKind.PCT1, 833) == "+83.3%" and format_value(ColKind.PCT1, -5) == "-0.5%"
    assert format_value(ColKind.PCT1, None) == "—"


def test_periods_a_year_and_a_period_before() -> None:
    p = Period(date(2024, 2, 1), date(2024, 2, 29))
    assert same_period_last_year(p) == Period(date(2023, 2, 1), date(2023, 2, 28))
    assert previous_period(p) == Period(date(2024, 1, 1), date(2024, 1, 31))  # whole months: the month before
    assert previous_period(Period(date(2024, 3, 5), date(2024, 3, 31))) == Period(date(2024, 2, 7), date(2024, 3, 4))
    assert months_of(Period(date(2025, 11, 20), date(2026, 2, 3))) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_abc_boundaries_are_the_share_before_the_item() -> None:
    # exactly 80 % before the second item: not below 80 % -> B; exactly 95 % before the third -> C
    assert [c for c, *_ in abc_classes([80, 15, 5], 80, 15)] == ["A", "B", "C"]
    # 79 % before the second: it is A although it carries the sum to 80 %
    assert [c for c, *_ in abc_classes([79, 1, 15, 5], 80, 15)] == ["A", "A", "B", "C"]
    assert abc_classes([79, 1, 15, 5], 80, 15)[2] == ("B", 1500, 9500)
    # nothing positive: all C; zero and losses are C and count for nothing in the whole
    assert [c for c, *_ in abc_classes([0, 0], 80, 15)] == ["C", "C"]
    assert abc_classes([100, 0, -20], 80, 15) == [("A", 10000, 10000), ("C", 0, 10000), ("C", -2000, 10000)]


def test_heat_shades_in_fifths_of_the_largest_cell() -> None:
    shades = [heat_color(v, 100) for v in (0, -5, 1, 20, 21, 40, 41, 60, 61, 80, 81, 100)]
    assert shades == ["#ffffff", "#ffffff", "#fdf1e3", "#fdf1e3", "#fbdcb9", "#fbdcb9", "#f8c48b", "#f8c48b",
                      "#f4a35a", "#f4a35a", "#ec7f2e", "#ec7f2e"]


# ---------------------------------------------------------------- the season table


def test_season_by_category_month_by_month(services: Services, shop: Shop) -> None:
    rep = services.reports.season(Y2026, "category")
    assert list(rep.months) == MONTHS_2026
    assert rep.last_year == Period(date(2025, 1, 1), date(2025, 12, 31))
    rows = {r.label: r for r in rep.rows}
    assert [r.label for r in rep.rows] == ["冬装", "饮料", "零食"]  # by total, largest first
    winter, drinks, snacks = rows["冬装"], rows["饮料"], rows["零食"]
    assert winter.months == (30000,) + (0,) * 11
    assert (winter.total, winter.last_year_total, winter.yoy_tenths) == (30000, 30000, 0)
    # July: 20 cola 100.00 − 2 returned 10.00; August: 10 water 20.00
    assert drinks.months == (0,) * 6 + (9000, 2000) + (0,) * 4
    assert (drinks.total, drinks.last_year_total, drinks.yoy_tenths) == (11000, 6000, 833)
    assert snacks.months == (0, 1200) + (0,) * 10
    assert (snacks.total, snacks.last_year_total, snacks.yoy_tenths) == (1200, 0, None)
    t = rep.total
    assert t.months == (30000, 1200, 0, 0, 0, 0, 9000, 2000, 0, 0, 0, 0)
    assert (t.total, t.last_year_total, t.yoy_tenths) == (42200, 36000, 172)


def test_season_by_product_and_a_part_year(services: Services, shop: Shop) -> None:
    rep = services.reports.season(Period(date(2026, 7, 5), date(2026, 8, 31)), "product")
    assert list(rep.months) == ["2026-07", "2026-08"]
    assert rep.last_year == Period(date(2025, 7, 5), date(2025, 8, 31))
    rows = {r.key: r for r in rep.rows}
    assert set(rows) == {shop.d1, shop.d2}  # the winter coat sold in neither July–August
    assert (rows[shop.d1].months, rows[shop.d1].last_year_total, rows[shop.d1].yoy_tenths) == ((9000, 0), 5000, 800)
    assert (rows[shop.d2].months, rows[shop.d2].last_year_total, rows[shop.d2].yoy_tenths) == ((0, 2000), 1000, 1000)
    assert rows[shop.d1].category == "饮料"


def test_season_table_has_the_month_columns_shaded(services: Services, shop: Shop) -> None:
    table = services.reports.table(ReportRequest(ReportKind.SEASON, Y2026, by="category"))
    keys = [c.key for c in table.columns]
    assert keys == ["label", *MONTHS_2026, "total", "last_year_total", "yoy_pct"]
    assert table.heat == tuple(range(1, 13))
    assert table.rows[1] == ("饮料", 0, 0, 0, 0, 0, 0, 9000, 2000, 0, 0, 0, 0, 11000, 6000, 833)
    assert table.total is not None and table.total[-3:] == (42200, 36000, 172)


# ---------------------------------------------------------------- ABC


def test_abc_by_sales(services: Services, shop: Shop) -> None:
    rep = services.reports.abc(Y2026, "sales")
    got = [(r.code, r.value, r.share_bp, r.cum_share_bp, r.cls) for r in rep.rows]
    # whole 422.00: W1 300 (before 0 -> A), D1 90 (before 300 = 71.1 % -> A),
    # D2 20 (before 390 = 92.4 % -> B), S1 12 (before 410 = 97.2 % -> C)
    assert got == [(shop.w1, 30000, 7109, 7109, "A"), (shop.d1, 9000, 2133, 9242, "A"),
                   (shop.d2, 2000, 474, 9716, "B"), (shop.s1, 1200, 284, 10000, "C")]
    assert (rep.total, rep.counts, rep.values) == (42200, {"A": 2, "B": 1, "C": 1},
                                                   {"A": 39000, "B": 2000, "C": 1200})


def test_abc_by_profit_and_the_thresholds_setting(services: Services, shop: Shop) -> None:
    rep = services.reports.abc(Y2026, "profit")
    # W1 300 − 180 = 120; D1 90 − 54 = 36; D2 20 − 10 = 10; S1 12 − 8 = 4; whole 170.00
    assert [(r.code, r.value, r.cls) for r in rep.rows] == [
        (shop.w1, 12000, "A"), (shop.d1, 3600, "A"),  # before D1: 120/170 = 70.6 % < 80 %
        (shop.d2, 1000, "B"),  # before: 156/170 = 91.8 %
        (shop.s1, 400, "C")]  # before: 166/170 = 97.6 %
    services.settings.update({"abc_a_pct": "70"})  # 70.6 % before D1 is no longer below A;
    # B now ends at 70 + 15 = 85 %, and 91.8 % before D2 is past it
    assert [r.cls for r in services.reports.abc(Y2026, "profit").rows] == ["A", "B", "C", "C"]
    with pytest.raises(ValidationError, match="more than 100%"):  # 70 + 31: refused, nothing saved
        services.settings.update({"abc_b_pct": "31"})
    assert services.settings.get("abc_b_pct") == "15"


def test_abc_of_a_period_with_returns_only_counts_them_against(services: Services, shop: Shop) -> None:
    # 2026-07-09: two D1 of the day before came back (−10.00, cost 6.00) and nothing was sold
    day = Period(date(2026, 7, 9), date(2026, 7, 9))
    assert [(r.code, r.value) for r in services.reports.abc(day, "sales").rows] == [(shop.d1, -1000)]
    assert [(r.code, r.value) for r in services.reports.abc(day, "profit").rows] == [(shop.d1, -400)]


# ---------------------------------------------------------------- 环比 / 同比 on the summary reports


def test_compare_profit_by_category(services: Services, shop: Shop) -> None:
    july = Period(date(2026, 7, 1), date(2026, 7, 31))
    built = services.reports.run(ReportRequest(ReportKind.PROFIT, july, by="category", compare=True))
    cmp = built.comparison
    assert cmp is not None and cmp.figure == "net_sales"
    assert cmp.prev_period == Period(date(2026, 6, 1), date(2026, 6, 30))  # a whole month: the month before
    assert cmp.last_year_period == Period(date(2025, 7, 1), date(2025, 7, 31))
    table = built.table
    assert [c.key for c in table.columns][-4:] == ["prev", "prev_pct", "last_year", "yoy_pct"]
    drinks = next(r for r in table.rows if r[0] == "饮料")
    assert drinks[table.col("net_sales")] == 9000
    # June: nothing (no base, no %); July 2025: 50.00 of cola + 10.00 of water -> 90 against 60 = +50.0 %
    assert drinks[-4:] == (0, None, 6000, 500)
    assert table.total is not None and table.total[-4:] == (0, None, 6000, 500)


def test_compare_by_month_meets_the_month_before_and_last_years_month(services: Services, shop: Shop) -> None:
    summer = Period(date(2026, 7, 1), date(2026, 8, 31))
    table = services.reports.table(ReportRequest(ReportKind.PROFIT, summer, by="month", compare=True))
    rows = {r[0]: r for r in table.rows}
    assert rows["2026-07"][-4:] == (0, None, 6000, 500)  # June 2026; July 2025
    # August 20.00 against July's 90.00: −77.8 %; August 2025 sold nothing
    assert rows["2026-08"][-4:] == (9000, -778, 0, None)
    # the whole: 110.00 against 1 June – 31 July (90.00) and against July–August 2025 (60.00)
    assert table.total is not None and table.total[-4:] == (9000, 222, 6000, 833)
