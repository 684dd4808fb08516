"""Every report figure of the scripted week (tests/unit/reports_scenario.py), worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock import ledger
from tests.unit import reports_scenario
from tests.unit.reports_scenario import Scenario

WEEK = Period(date(2026, 10, 1), date(2026, 10, 6))


@pytest.fixture
def shop(services: Services, make_product) -> Scenario:  # type: ignore[no-untyped-def]
    return reports_scenario.build(services, make_product)


def figures(row) -> dict[str, object]:  # type: ignore[no-untyped-def]
    keys = ("qty", "sales", "returns", "net_sales", "discounts", "cogs", "gross_profit", "margin_bp",
            "sale_count", "return_count", "avg_ticket", "count_gain", "count_loss", "profit_after_count")
    return {k: getattr(row, k) for k in keys}


def test_ledger_is_sound_after_the_scenario(services: Services, shop: Scenario) -> None:
    with services.db.read() as uow:
        assert ledger.reconcile(uow.session) == []


def test_profit_total_of_the_week(services: Services, shop: Scenario) -> None:
    rep = services.reports.profit(WEEK, "day")
    assert figures(rep.total) == {
        "qty": 11000,  # A 10 sold − 2 returned, B 3
        "sales": 3500 + 3000 + 800, "returns": 972, "net_sales": 6328,
        "discounts": 56 + 44 - 28,  # the return's line gave back 1000 − 972
        "cogs": 1320 + 1000 + 1980 + 500 - 660,  # 4140
        "gross_profit": 6328 - 4140,  # 2188
        "margin_bp": 3458,  # 2188 / 6328 = 34.576 %
        "sale_count": 3, "return_count": 1, "avg_ticket": 2433,  # 7300 / 3
        "count_gain": 0, "count_loss": 330, "profit_after_count": 2188 - 330,
    }


def test_profit_by_day(services: Services, shop: Scenario) -> None:
    rows = {r.key: r for r in services.reports.profit(WEEK, "day").rows}
    assert list(rows) == [f"2026-10-0{d}" for d in range(1, 7)]
    assert (rows["2026-10-01"].net_sales, rows["2026-10-01"].cogs) == (0, 0)
    assert (rows["2026-10-02"].net_sales, rows["2026-10-02"].cogs, rows["2026-10-02"].gross_profit) == (3500, 2320, 1180)
    d3 = rows["2026-10-03"]
    assert (d3.sales, d3.returns, d3.net_sales, d3.cogs, d3.gross_profit) == (3000, 972, 2028, 1320, 708)
    assert (d3.sale_count, d3.return_count) == (1, 1)
    assert rows["2026-10-04"].gross_profit == 0
    assert (rows["2026-10-05"].count_loss, rows["2026-10-05"].profit_after_count) == (330, -330)
    assert (rows["2026-10-06"].net_sales, rows["2026-10-06"].cogs) == (800, 500)


def test_profit_by_week_and_month(services: Services, shop: Scenario) -> None:
    weeks = {r.key: r for r in services.reports.profit(WEEK, "week").rows}
    assert list(weeks) == ["2026-09-28", "2026-10-05"]  # Oct 1 2026 is a Thursday
    assert (weeks["2026-09-28"].gross_profit, weeks["2026-09-28"].count_loss) == (1888, 0)
    assert (weeks["2026-10-05"].gross_profit, weeks["2026-10-05"].profit_after_count) == (300, -30)
    months = services.reports.profit(WEEK, "month").rows
    assert [(m.key, m.net_sales, m.cogs) for m in months] == [("2026-10", 6328, 4140)]


def test_profit_by_product_and_category(services: Services, shop: Scenario) -> None:
    rep = services.reports.profit(WEEK, Grouping.PRODUCT)
    rows = {r.label: r for r in rep.rows}
    assert set(rows) == {"苹果", "牛奶"}
    a, b = rows["苹果"], rows["牛奶"]
    assert (a.qty, a.sales, a.returns, a.net_sales, a.discounts, a.cogs, a.gross_profit) == (
        8000, 4944, 972, 3972, 28, 2640, 1332)
    assert (a.sale_count, a.return_count, a.count_loss, a.profit_after_count, a.category) == (2, 1, 330, 1002, "水果")
    assert (b.qty, b.net_sales, b.cogs, b.gross_profit, b.discounts, b.sale_count) == (3000, 2356, 1500, 856, 44, 2)
    assert rep.total.sale_count == 3  # X1 holds both products but is one sale
    assert figures(rep.total) == figures(services.reports.profit(WEEK, "day").total)
    assert [r.label for r in rep.ranked("gross_profit", 1)] == ["苹果"]
    assert [r.label for r in rep.ranked("gross_profit", 1, bottom=True)] == ["牛奶"]
    cats = {r.label: r for r in services.reports.profit(WEEK, "category").rows}
    assert (cats["水果"].net_sales, cats["水果"].count_loss, cats["饮料"].gross_profit) == (3972, 330, 856)


def test_profit_of_a_single_day_and_of_an_empty_period(services: Services, shop: Scenario) -> None:
    day3 = services.reports.profit(Period(date(2026, 10, 3), date(2026, 10, 3)), "product")
    assert [(r.label, r.net_sales, r.cogs) for r in day3.rows] == [("苹果", 2028, 1320)]
    empty = services.reports.profit(Period(date(2026, 9, 1), date(2026, 9, 30)), "product")
    assert empty.rows == () and empty.total.net_sales == 0 and empty.total.margin_bp is None


def test_payments_and_hours(services: Services, shop: Scenario) -> None:
    pay = {r.key: r for r in services.reports.payments(WEEK).rows}
    assert {k: (r.sales, r.returns, r.net) for k, r in pay.items()} == {
        "cash": (3500, 972, 2528), "wechat": (3000, 0, 3000), "alipay": (800, 0, 800)}
    total = services.reports.payments(WEEK).total
    assert (total.net, total.sale_count, total.return_count) == (6328, 3, 1)
    hours = {r.key: r for r in services.reports.hours(WEEK).rows}
    assert len(hours) == 24
    assert (hours["11"].sales, hours["11"].sale_count) == (4300, 2)
    assert (hours["15"].sales, hours["16"].returns, hours["10"].sales) == (3000, 972, 0)
    assert services.reports.hours(WEEK).total.net == 6328


def test_purchase_summary_shows_the_reversed_note_and_its_reversal(services: Services, shop: Scenario) -> None:
    # P3 (甲, 3900) was reversed the same day: the note is shown and its reversal takes it out again,
    # so net purchases are what they were when a reversed note was left out (issue 14).
    rep = services.reports.purchases(WEEK, "supplier")
    rows = {r.label: r for r in rep.rows}
    jia = rows["甲供应商"]
    assert (jia.purchases, jia.returns, jia.reversals, jia.corrections, jia.net) == (11500, 0, 3900, 0, 7600)
    assert (jia.notes, jia.reversed_notes) == (3, 1)
    assert (rows["乙供应商"].purchases, rows["乙供应商"].returns, rows["乙供应商"].net) == (3600, 660, 2940)
    assert (rep.total.net, rep.total.notes, rep.total.return_notes, rep.total.reversed_notes) == (10540, 4, 1, 1)
    prod = {r.label: r for r in services.reports.purchases(WEEK, "product").rows}
    a = prod["苹果"]
    assert (a.qty_in, a.qty_out, a.qty_reversed, a.purchases, a.returns, a.reversals, a.net, a.avg_cost) == (
        30000, 2000, 10000, 10500, 660, 3900, 5940, 330)
    assert (prod["饼干"].net, prod["牛奶"].net) == (2100, 2500)
    assert services.reports.purchases(WEEK, "product").total.net == 10540


def test_stock_value_at_past_days(services: Services, shop: Scenario) -> None:
    def value(day: int, by: str = "product") -> dict[str, int]:
        return {r.label: r.value for r in services.reports.stock_value(date(2026, 10, day), by).rows}

    assert value(2) == {"苹果": 5280, "牛奶": 1500, "饼干": 2100}
    assert value(4) == {"苹果": 3960, "牛奶": 1500, "饼干": 2100}  # P3 in and reversed the same day
    assert value(5) == {"苹果": 3630, "牛奶": 1500, "饼干": 2100}
    assert value(6, "category") == {"水果": 2970, "饮料": 1000, "零食": 2100}
    assert services.reports.stock_value(date(2026, 10, 6)).total.value == 6070
    assert services.reports.stock_value(date(2026, 9, 30)).rows == ()


def test_turnover_of_the_week(services: Services, shop: Scenario) -> None:
    rep = services.reports.turnover(WEEK)
    t = rep.total
    assert (t.opening, t.purchases, t.sales, t.counts, t.other, t.closing) == (0, 10540, -4140, -330, 0, 6070)
    assert (t.cogs, t.avg_stock, t.turnover_x100, t.days_of_inventory) == (4140, 3035, 136, 4)
    fruit = next(r for r in rep.rows if r.label == "水果")
    assert (fruit.purchases, fruit.sales, fruit.counts, fruit.closing) == (5940, -2640, -330, 2970)
    # the next period opens where this one closed
    nxt = services.reports.turnover(WEEK.next())
    assert nxt.total.opening == t.closing


def test_slow_movers_and_expiry(services: Services, shop: Scenario) -> None:
    slow = services.reports.slow_movers(3, today=date(2026, 10, 6))
    assert [(r.label, r.qty, r.value, r.last_sale, r.days_idle) for r in slow.rows] == [
        ("苹果", 9000, 2970, date(2026, 10, 3), 3), ("饼干", 10000, 2100, None, None)]
    assert slow.total.value == 5070
    exp = services.reports.expiry(today=date(2026, 10, 6), warning_days=30)
    assert [(r.batch_no, r.days_left, r.qty, r.value, r.expired) for r in exp.rows] == [("B1", 4, 5000, 1050, False)]
    later = services.reports.expiry(today=date(2026, 10, 12), warning_days=0)
    assert [(r.batch_no, r.days_left, r.expired) for r in later.rows] == [("B1", -2, True)]


def test_sql_half_up_division_matches_div_round(services: Services) -> None:
    from jxc_desktop.db.text_reads import SessionRows
    from jxc_desktop.domain.money import div_round
    from jxc_desktop.services.reporting.profit import _half_up_div

    pairs = [(n, d) for n in (-25, -15, -10, -5, -4, 0, 1, 4, 5, 10, 15, 25, 12345) for d in (-10, -3, 2, 3, 10, 7)]
    with services.db.read() as uow:
        got = SessionRows(uow.session).all("SELECT " + ", ".join(_half_up_div(f"({n})", f"({d})") for n, d in pairs))[0]
    assert list(got) == [div_round(n, d) for n, d in pairs]


def test_sql_margin_and_ticket_match_the_domain_rules(services: Services) -> None:
    from jxc_desktop.db.text_reads import SessionRows
    from jxc_desktop.domain.money import div_round
    from jxc_desktop.domain.periods import ratio_bp
    from jxc_desktop.services.reporting.profit import _margin_sql, _ticket_sql

    pairs = [(gp, net) for gp in (-7, -5, -1, 0, 1, 5, 7, 12345) for net in (-9, -2, 0, 3, 8, 10000)]
    with services.db.read() as uow:
        rows = SessionRows(uow.session)
        margins = rows.all("SELECT " + ", ".join(_margin_sql(f"({g})", f"({n})") for g, n in pairs))[0]
        tickets = rows.all("SELECT " + ", ".join(_ticket_sql(f"({a})", f"({n})") for a, n in pairs if n > 0))[0]
    assert list(margins) == [ratio_bp(g, n) for g, n in pairs]
    assert list(tickets) == [div_round(a, n) for a, n in pairs if n > 0]
