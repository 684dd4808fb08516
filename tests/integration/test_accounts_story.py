"""Done-when of issue 16: thirty days of a small shop's money owed, figures computed by hand.

March 2026. Supplier 批发部 delivers on 30 days' terms; 饭店 buys on account (limit 100.00);
公司 takes a wholesale lot (here a till sale at wholesale prices, 30.00 paid now and the rest on
account: the wholesale note posts through the same path).

  03-01 CG N1  可乐 100 × 2.00 = 200.00   due 03-31
  03-03 CG N2  啤酒  50 × 6.00 = 300.00   due 04-02
  03-05 CT     2 可乐 back from N1: credit 2 × 2.00 = 4.00 (stock out at the average 2.0909 = 4.18)
  03-10 FK     pay 150.00 bank, oldest first: N1 196.00 → 46.00
  03-12 XS     饭店 20 可乐 × 3.00 = 60.00 on account
  03-15 XS     公司 10 啤酒 × 10.00 = 100.00: 30.00 cash, 70.00 on account
  03-18 TH     饭店 returns 5 可乐: 15.00 to the account → 45.00
  03-20 SK     饭店 pays 40.00 by WeChat → 5.00 open
  03-25 CG N3  可乐 50 × 2.00 = 100.00    due 04-24
  03-28 FK     pay 200.00 cash: N1 46.00 → 0, N2 300.00 → 146.00
  03-30 SK     公司 pays 70.00 by Alipay → 0
"""

from __future__ import annotations

from datetime import date

from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.sales.dto import ReturnItem
from tests.unit.accounts_fixtures import customer, deliver, noon, sell, send_back, supplier


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


def _rows(st):  # type: ignore[no-untyped-def]
    return [(r.date.day, r.number[:2], r.kind, r.debit, r.credit, r.balance) for r in st.rows]


def test_thirty_days(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 300, 300, qty=10)  # 10 on the shelf at 3.00
    beer = make_product("啤酒", 1000, 600, qty=0)
    sid = supplier(services, "批发部", 30)
    fan = customer(services, "饭店", limit=10000)
    gs = customer(services, "公司", level="wholesale")

    n1 = deliver(services, sid, d(1), [(cola.id, 100, 200)])
    n2 = deliver(services, sid, d(3), [(beer.id, 50, 600)])
    ret = send_back(services, n1, d(5), 2)
    assert ret.total == 418  # the stock value out: 2 × 23000 / 110, rounded
    p1 = services.accounts.pay(sid, 15000, method="bank", day=d(10), at=noon(d(10)))
    assert (p1.allocated, p1.prepayment) == (15000, 0)
    s1 = sell(services, cola, 20, d(12), customer_id=fan)
    s2 = sell(services, beer, 10, d(15), customer_id=gs, credit=7000)
    services.checkout.post_return(s1.number, [ReturnItem(s1.lines[0].id, 5 * MILLI)], method="credit",
                                  at=noon(d(18)))
    c1 = services.accounts.collect(fan, 4000, method="wechat", day=d(20), at=noon(d(20)))
    n3 = deliver(services, sid, d(25), [(cola.id, 50, 200)])
    p2 = services.accounts.pay(sid, 20000, day=d(28), at=noon(d(28)))
    c2 = services.accounts.collect(gs, 7000, method="alipay", day=d(30), at=noon(d(30)))
    assert (c1.allocated, c2.allocated, p2.allocated) == (4000, 7000, 20000)

    st = services.accounts.statement(SUPPLIER, sid, d(1), d(30))
    assert st.opening == 0
    assert _rows(st) == [(1, "CG", "purchase", 20000, 0, 20000), (3, "CG", "purchase", 30000, 0, 50000),
                         (5, "CT", "purchase_return", 0, 400, 49600), (10, "FK", "pay", 0, 15000, 34600),
                         (25, "CG", "purchase", 10000, 0, 44600), (28, "FK", "pay", 0, 20000, 24600)]
    assert st.closing == 24600
    assert [(o.number, o.open) for o in services.accounts.open_documents(SUPPLIER, sid)] == [
        (n2.number, 14600), (n3.number, 10000)]
    # a later period opens where this one closed
    assert services.accounts.statement(SUPPLIER, sid, d(11), d(30)).opening == 34600

    fan_st = services.accounts.statement(CUSTOMER, fan, d(1), d(30))
    assert _rows(fan_st) == [(12, "XS", "sale", 6000, 0, 6000), (18, "TH", "sale_return", 0, 1500, 4500),
                             (20, "SK", "collect", 0, 4000, 500)]
    gs_st = services.accounts.statement(CUSTOMER, gs, d(1), d(30))
    assert (_rows(gs_st), gs_st.closing) == ([(15, "XS", "sale", 7000, 0, 7000), (30, "SK", "collect", 0, 7000, 0)], 0)
    assert s2.total == 10000

    # balances and aging at the end of the month: nothing of the supplier's is due yet
    pay = services.accounts.balances(SUPPLIER, d(30))
    assert [(r.name, r.balance, r.overdue, r.oldest_due) for r in pay.rows] == [("批发部", 24600, 0, d(2, 4))]
    rec = services.accounts.balances(CUSTOMER, d(30))
    assert [(r.name, r.balance, r.overdue, r.oldest_due) for r in rec.rows] == [("饭店", 500, 500, d(12))]
    assert rec.total == 500
    ag = services.accounts.aging(CUSTOMER, d(30))
    assert ag.totals == (0, 500, 0, 0, 0)  # 18 days past the sale
    # five weeks later: N2 (due 04-02) is 33 days late, N3 (due 04-24) 11 days
    ag = services.accounts.aging(SUPPLIER, d(5, 5))
    assert (ag.totals, ag.unapplied, ag.total) == ((0, 10000, 14600, 0, 0), 0, 24600)
    assert services.accounts.aging(SUPPLIER, d(30)).totals == (24600, 0, 0, 0, 0)
    # and in the middle of the month, before the second payment
    mid = services.accounts.balances(SUPPLIER, d(20))
    assert (mid.total, mid.rows[0].oldest_due) == (34600, d(31))

    # the cash book of the month: what came in and went out, per method
    book = {r.method: (r.sales, r.refunds, r.collections, r.payments, r.net)
            for r in services.accounts.cash_book(d(1), d(30)).rows}
    assert book == {"cash": (3000, 0, 0, 20000, -17000), "wechat": (0, 0, 4000, 0, 4000),
                    "alipay": (0, 0, 7000, 0, 7000), "bank": (0, 0, 0, 15000, -15000)}
    assert services.checkout.day_summary(d(15)).by_method == {"cash": 3000, "credit": 7000}

    assert [p for p in run_check(db).problems if p.kind == "accounts"] == []


def test_return_price_difference_in_the_purchase_report(services, make_product) -> None:  # type: ignore[no-untyped-def]
    """2 units bought at 10.00 come back as a 20.00 credit, though the shelf's average makes them
    worth 14.30: the purchase report shows the 5.70 price difference."""
    from jxc_desktop.domain.periods import Period

    p = make_product("酱油", 500, 1860, qty=10)  # 10 on the shelf at 18.60
    sid = supplier(services, "调味品厂", 30)
    note = deliver(services, sid, d(1), [(p.id, 10, 1000)])  # average (186.00 + 100.00) / 20 = 14.30
    ret = send_back(services, note, d(2), 2)
    assert ret.total == 2860
    assert services.accounts.balances(SUPPLIER, d(2)).total == 10000 - 2000
    rep = services.reports.purchases(Period(d(1), d(2)))
    assert (rep.total.returns, rep.total.price_difference) == (2860, 2000 - 2860)
