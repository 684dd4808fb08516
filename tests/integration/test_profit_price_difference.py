"""The purchase price difference of returns to suppliers in the profit report (issue 16), by hand.

  03-01 CG  酱油 10 × 10.00 onto 10 at 18.60: average (186.00 + 100.00) / 20 = 14.30
            醋   10 ×  8.00 onto 10 at  5.00: average ( 50.00 +  80.00) / 20 =  6.50
  03-02 CT  2 酱油 back at the price paid: credit 20.00, stock out 28.60 → −8.60 (a loss)
  03-03 CT  4 醋 back: credit 32.00, stock out 26.00 → +6.00 (a gain)
  03-04     the 醋 return reversed (红冲): its +6.00 goes out again on the day of the reversal
No sales: net profit = the price difference alone.
"""

from __future__ import annotations

from datetime import date

from jxc_desktop.domain.periods import Period
from tests.unit.accounts_fixtures import deliver, noon, send_back, supplier


def d(day: int) -> date:
    return date(2026, 3, day)


def test_price_difference_in_the_profit_report(services, make_product) -> None:  # type: ignore[no-untyped-def]
    soy = make_product("酱油", 2500, 1860, qty=10, category="调味品")
    vinegar = make_product("醋", 900, 500, qty=10, category="醋类")
    sid = supplier(services, "调味品厂", 30)
    note = deliver(services, sid, d(1), [(soy.id, 10, 1000), (vinegar.id, 10, 800)])
    assert send_back(services, note, d(2), 2, line=0).total == 2860
    back = send_back(services, note, d(3), 4, line=1)
    assert back.total == 2600
    services.purchasing.reverse(back.id, at=noon(d(4)), confirmed=True)

    days = {r.key: r for r in services.reports.profit(Period(d(1), d(4)), "day").rows}
    assert [days[f"2026-03-0{i}"].price_difference for i in range(1, 5)] == [0, -860, 600, -600]
    assert (days["2026-03-03"].net_profit, days["2026-03-04"].net_profit) == (600, -600)
    total = services.reports.profit(Period(d(1), d(4)), "month").total
    assert (total.price_difference, total.net_profit) == (-860, -860)
    assert total.net_profit == total.profit_after_count - total.corrections + total.price_difference
    assert total.gross_profit == 0  # the difference is no sale: net sales, COGS and margin untouched

    # before the reversal: the gain stands
    assert services.reports.profit(Period(d(1), d(3)), "week").total.price_difference == -860 + 600

    by_product = {r.label: r for r in services.reports.profit(Period(d(1), d(4)), "product").rows}
    assert set(by_product) == {"酱油"}  # the vinegar's +6.00 and −6.00 cancel: no row
    assert (by_product["酱油"].price_difference, by_product["酱油"].net_profit) == (-860, -860)
    by_cat = {r.label: r.price_difference for r in services.reports.profit(Period(d(3), d(3)), "category").rows}
    assert by_cat == {"醋类": 600}
    assert services.reports.profit(Period(d(3), d(3)), "category").total.net_profit == 600

    # the purchase report shows the same differences on the same days
    assert services.reports.purchases(Period(d(2), d(3))).total.price_difference == -860 + 600
    assert services.reports.purchases(Period(d(4), d(4))).total.price_difference == -600
    assert services.reports.purchases(Period(d(1), d(4))).total.price_difference == -860
    by_product = {r.label: r.price_difference for r in services.reports.purchases(Period(d(1), d(4)), "product").rows}
    assert by_product == {"酱油": -860, "醋": 0}
