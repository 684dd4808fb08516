"""Payments and collections with allocation (oldest first or by hand), prepayments, the bad-input
rules, balances, aging, the statement and the cash book."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import AccountEntry, MoneyDoc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, PrepaymentQuestion
from tests.unit.accounts_fixtures import customer, deliver, noon, sell, supplier

D1, D2, D3 = date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 20)


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return int(uow.session.scalar(select(func.count(model.id))) or 0)


def test_pay_oldest_first_partial_and_prepayment(services, make_product, db):  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200)
    sid = supplier(services, "批发部", 15)
    a = deliver(services, sid, D1, [(p.id, 10, 1000)])  # 100.00 due 03-17
    b = deliver(services, sid, D2, [(p.id, 5, 1000)])  # 50.00 due 03-25
    r = services.accounts.pay(sid, 12000, method="bank", day=D3, at=noon(D3))
    assert (r.number[:2], r.amount, r.allocated, r.prepayment) == ("FK", 12000, 12000, 0)
    docs = services.accounts.open_documents(SUPPLIER, sid)
    assert [(d.number, d.open) for d in docs] == [(b.number, 3000)]
    assert a.number not in [d.number for d in docs]
    with pytest.raises(PrepaymentQuestion):
        services.accounts.pay(sid, 5000, day=D3, at=noon(D3))
    assert _count(db, MoneyDoc) == 1  # nothing written
    r2 = services.accounts.pay(sid, 5000, day=D3, prepay_ok=True, at=noon(D3))
    assert (r2.allocated, r2.prepayment) == (3000, 2000)
    assert services.accounts.balances(SUPPLIER, D3).total == -2000
    # the prepayment settles the next note
    c = deliver(services, sid, D3, [(p.id, 3, 1000)])
    (left,) = services.accounts.open_documents(SUPPLIER, sid)
    assert (left.number, left.open) == (c.number, 1000)
    assert any(e.action == "payment" for e in services.audit.query())


def test_bad_input_writes_nothing(services, make_product, db):  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200, qty=100)
    s1 = supplier(services, "甲", 30)
    s2 = supplier(services, "乙", 30)
    deliver(services, s1, D2, [(p.id, 10, 1000)])
    deliver(services, s2, D1, [(p.id, 10, 1000)])
    (doc1,) = services.accounts.open_documents(SUPPLIER, s1)
    before = (_count(db, MoneyDoc), _count(db, AccountEntry))
    for amount in (0, -100):
        with pytest.raises(ValidationError, match="more than zero"):
            services.accounts.pay(s1, amount, day=D3)
    with pytest.raises(ValidationError, match="another party"):
        services.accounts.pay(s2, 1000, day=D3, allocations=[(doc1.entry_id, 1000)])
    with pytest.raises(ValidationError, match="after this payment"):
        services.accounts.pay(s1, 1000, day=D1, allocations=[(doc1.entry_id, 1000)])
    with pytest.raises(ValidationError, match="only"):
        services.accounts.pay(s1, 20000, day=D3, allocations=[(doc1.entry_id, 20000)], prepay_ok=True)
    with pytest.raises(ValidationError, match="Unknown payment method"):
        services.accounts.pay(s1, 1000, day=D3, method="bitcoin")
    cid = customer(services, "饭店")
    sell(services, p, 2, D1, customer_id=cid)
    (sdoc,) = services.accounts.open_documents(CUSTOMER, cid)
    with pytest.raises(ValidationError, match="another party"):
        services.accounts.pay(s1, 100, day=D3, allocations=[(sdoc.entry_id, 100)])
    assert (_count(db, MoneyDoc), _count(db, AccountEntry)) == (before[0], before[1] + 1)


def test_collect_by_hand_unallocate_write_off(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("啤酒", 1000, 600, qty=50)
    cid = customer(services, "饭店")
    s1 = sell(services, p, 2, D1, customer_id=cid)
    s2 = sell(services, p, 3, D2, customer_id=cid)
    d1, d2 = services.accounts.open_documents(CUSTOMER, cid)
    assert (d1.number, d2.number) == (s1.number, s2.number)
    r = services.accounts.collect(cid, 1500, method="wechat", day=D3, allocations=[(d2.entry_id, 1500)])
    assert r.number.startswith("SK") and r.allocated == 1500
    assert [(d.number, d.open) for d in services.accounts.open_documents(CUSTOMER, cid)] == [
        (s1.number, 2000), (s2.number, 1500)]
    allocs = services.accounts.allocations(d2.entry_id)
    services.accounts.unallocate([a.id for a in allocs])
    (credit,) = services.accounts.open_documents(CUSTOMER, cid, credits=True)
    assert credit.open == -1500
    services.accounts.allocate(d1.entry_id, credit.entry_id, 1500)
    services.accounts.write_off(d1.entry_id, 500, day=D3, note="抹零")
    assert [(d.number, d.open) for d in services.accounts.open_documents(CUSTOMER, cid)] == [(s2.number, 3000)]
    assert services.customers.get(cid).balance == 3000
    assert {"unallocate", "write_off", "collection"} <= {e.action for e in services.audit.query()}


def test_aging_buckets_and_balances(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("米", 5000, 3000)
    sid = supplier(services, "粮油", 10)
    deliver(services, sid, date(2026, 1, 1), [(p.id, 1, 10000)])  # due 01-11
    deliver(services, sid, date(2026, 2, 1), [(p.id, 1, 20000)])  # due 02-11
    deliver(services, sid, date(2026, 3, 1), [(p.id, 1, 30000)])  # due 03-11
    deliver(services, sid, date(2026, 3, 15), [(p.id, 1, 40000)])  # due 03-25
    services.accounts.pay(sid, 5000, day=date(2026, 3, 20))  # oldest first: 01-01 note
    at = date(2026, 3, 20)
    ag = services.accounts.aging(SUPPLIER, at)
    (row,) = ag.rows
    # 01-11 → 68 days late (61-90), 02-11 → 37 (31-60), 03-11 → 9 (1-30), 03-25 not due
    assert row.buckets == (40000, 30000, 20000, 5000, 0)
    assert row.balance == ag.total == 95000
    bal = services.accounts.balances(SUPPLIER, at)
    assert (bal.rows[0].name, bal.rows[0].balance, bal.rows[0].overdue, bal.rows[0].oldest_due) == (
        "粮油", 95000, 55000, date(2026, 1, 11))
    # at an earlier day the later note and the payment do not count yet
    early = services.accounts.balances(SUPPLIER, date(2026, 2, 1))
    assert (early.total, early.rows[0].overdue) == (30000, 10000)


def test_statement_opening_rows_closing(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("米", 5000, 3000)
    sid = supplier(services, "粮油", 30)
    a = deliver(services, sid, date(2026, 2, 20), [(p.id, 2, 10000)])
    b = deliver(services, sid, date(2026, 3, 5), [(p.id, 1, 10000)])
    pay = services.accounts.pay(sid, 15000, day=date(2026, 3, 10))
    st = services.accounts.statement(SUPPLIER, sid, date(2026, 3, 1), date(2026, 3, 31))
    assert st.opening == 20000
    assert [(r.date, r.number, r.kind, r.debit, r.credit, r.balance) for r in st.rows] == [
        (date(2026, 3, 5), b.number, "purchase", 10000, 0, 30000),
        (date(2026, 3, 10), pay.number, "pay", 0, 15000, 15000)]
    assert st.closing == 15000 and st.name == "粮油"
    assert a.number not in [r.number for r in st.rows]
    with pytest.raises(ValidationError):
        services.accounts.statement(SUPPLIER, sid, date(2026, 3, 31), date(2026, 3, 1))


def test_cash_book_reconciles_with_day_slip(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("面包", 800, 500, qty=50)
    sid = supplier(services, "面包房", 0)
    cid = customer(services, "王阿姨")
    deliver(services, sid, D1, [(p.id, 2, 500)])  # paid on delivery: 10.00 cash out
    sell(services, p, 2, D1)  # 16.00 cash
    sell(services, p, 3, D1, customer_id=cid, credit=1400)  # 10.00 cash, 14.00 on account
    services.accounts.collect(cid, 1400, method="alipay", day=D1, at=noon(D1))
    book = services.accounts.cash_book(D1, D1)
    rows = {r.method: r for r in book.rows}
    slip = services.checkout.day_summary(D1).by_method
    assert rows["cash"].sales - rows["cash"].refunds == slip["cash"] == 2600
    assert (rows["cash"].payments, rows["cash"].net) == (1000, 1600)
    assert (rows["alipay"].collections, rows["alipay"].net) == (1400, 1400)
    assert "credit" not in rows and book.net == 3000


def test_refund_of_a_return_credit(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.services.safety.books_check import run_check
    from tests.unit.accounts_fixtures import send_back

    p = make_product("可乐", 300, 1000)
    sid = supplier(services, "现金厂", 0)  # paid on delivery: a return leaves a credit
    note = deliver(services, sid, D1, [(p.id, 5, 1000)])
    send_back(services, note, D2, 2)
    assert services.accounts.balances(SUPPLIER, D2).total == -2000
    with pytest.raises(ValidationError, match="only"):
        services.accounts.refund(SUPPLIER, sid, 2001, day=D3)
    r = services.accounts.refund(SUPPLIER, sid, 2000, method="wechat", day=D3, at=noon(D3))
    assert r.number.startswith("TK") and r.allocated == 2000
    assert services.accounts.balances(SUPPLIER, D3).total == 0
    assert services.accounts.open_documents(SUPPLIER, sid, credits=True) == []
    wechat = {x.method: x for x in services.accounts.cash_book(D3, D3).rows}["wechat"]
    assert (wechat.collections, wechat.net) == (2000, 2000)
    assert [x for x in run_check(db).problems if x.kind == "accounts"] == []
