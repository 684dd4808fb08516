"""Booking on the accounts from purchasing and sales: notes on terms or paid on delivery, returns
credited at the price paid, reversals, sales on account with the credit limit, customer returns."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import AccountEntry, Allocation, MoneyDoc
from jxc_desktop.domain.errors import StateError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, CreditLimitExceeded, CustomerInput
from jxc_desktop.services.sales.dto import ReturnItem
from tests.unit.accounts_fixtures import customer, deliver, noon, sell, send_back, supplier

D1 = date(2026, 3, 2)


def test_note_on_terms_is_owed_with_due_date(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200)
    sid = supplier(services, "好又多批发", 30)
    note = deliver(services, sid, D1, [(p.id, 10, 1000)])
    docs = services.accounts.open_documents(SUPPLIER, sid)
    assert [(d.number, d.amount, d.open, d.due_date) for d in docs] == [(note.number, 10000, 10000, date(2026, 4, 1))]
    assert services.purchasing.history()[0].number == note.number


def test_cash_supplier_note_is_paid_on_delivery(services, make_product, db):  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200)
    sid = supplier(services, "街口小卖", 0)
    deliver(services, sid, D1, [(p.id, 5, 1000)])
    assert services.accounts.open_documents(SUPPLIER, sid) == []
    assert services.accounts.balances(SUPPLIER, D1).total == 0
    with db.read() as uow:
        doc = uow.session.scalar(select(MoneyDoc))
        assert (doc.kind, doc.amount, doc.method, doc.number[:2]) == ("pay", 5000, "cash", "FK")


def test_return_credited_at_the_price_paid(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("酱油", 500, 1500, qty=10)  # 10 on the shelf at 15.00: the average moves
    sid = supplier(services, "调味品厂", 30)
    note = deliver(services, sid, D1, [(p.id, 10, 1000)])  # average now 12.50
    ret = send_back(services, note, D1, 2)
    assert ret.total == 2500  # the stock value out, at the average
    assert services.accounts.balances(SUPPLIER, D1).total == 10000 - 2000  # credited 2 × 10.00
    (doc,) = services.accounts.open_documents(SUPPLIER, sid)
    assert (doc.number, doc.open) == (note.number, 8000)


def test_reversal_cancels_what_the_note_owed_and_refuses_with_payments(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("饼干", 500, 300)
    sid = supplier(services, "饼干厂", 30)
    a = deliver(services, sid, D1, [(p.id, 4, 1000)])
    b = deliver(services, sid, D1, [(p.id, 4, 1000)])
    services.purchasing.reverse(a.id, at=noon(D1), confirmed=True)
    assert services.accounts.balances(SUPPLIER, D1).total == 4000
    services.accounts.pay(sid, 1000, day=D1, at=noon(D1))
    with pytest.raises(StateError, match="un-allocate"):
        services.purchasing.reverse(b.id, at=noon(D1), confirmed=True)
    assert services.purchasing.get(b.id).status == "posted"


def test_reversal_of_a_note_paid_on_delivery(services, make_product, db):  # type: ignore[no-untyped-def]
    p = make_product("饼干", 500, 300)
    sid = supplier(services, "现金厂", 0)
    a = deliver(services, sid, D1, [(p.id, 4, 1000)])
    services.purchasing.reverse(a.id, at=noon(D1), confirmed=True)
    assert services.accounts.balances(SUPPLIER, D1).total == 0
    assert services.accounts.cash_book(D1, D1).net == 0
    with db.read() as uow:
        assert uow.session.scalar(select(MoneyDoc.status)) == "reversed"


def test_credit_sale_limit_and_return(services, make_product, db):  # type: ignore[no-untyped-def]
    p = make_product("啤酒", 1000, 600, qty=50)
    cid = customer(services, "隔壁饭店", limit=5000)
    sale = sell(services, p, 3, D1, customer_id=cid)
    assert services.customers.get(cid).balance == 3000
    with pytest.raises(CreditLimitExceeded):
        sell(services, p, 3, D1, customer_id=cid)
    assert services.customers.get(cid).balance == 3000  # nothing written
    sell(services, p, 3, D1, customer_id=cid, override=True)
    assert services.customers.get(cid).balance == 6000
    assert any(e.action == "credit_override" for e in services.audit.query())
    line = sale.lines[0]
    services.checkout.post_return(sale.number, [ReturnItem(line.id, MILLI)], method="credit", at=noon(D1))
    assert services.customers.get(cid).balance == 5000
    with pytest.raises(ValidationError, match="customer"):
        sell(services, p, 1, D1, credit=800)
    with db.read() as uow:
        assert uow.session.scalar(select(func.count(Allocation.id))) == 1


def test_partial_credit_and_cash_sale_unchanged(services, make_product, db):  # type: ignore[no-untyped-def]
    p = make_product("面包", 800, 500, qty=20)
    cid = customer(services, "王阿姨")
    sell(services, p, 2, D1, customer_id=cid, credit=600)
    sell(services, p, 1, D1)  # a plain cash sale books nothing
    assert services.customers.get(cid).balance == 600
    with db.read() as uow:
        assert uow.session.scalar(select(func.count(AccountEntry.id))) == 1
    summary = services.checkout.day_summary(D1)
    assert summary.by_method == {"cash": 1800, "credit": 600}


def test_customers_search_and_delete_rules(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("面包", 800, 500, qty=20)
    a = customer(services, "张三饭店")
    b = services.customers.add(CustomerInput("李四", phone="13912345678"))
    assert [c.name for c in services.customers.search("zs")] == ["张三饭店"]
    assert [c.name for c in services.customers.search("1391")] == ["李四"]
    sell(services, p, 1, D1, customer_id=a)
    with pytest.raises(StateError, match="deactivate"):
        services.customers.delete(a)
    services.customers.delete(b)
    services.customers.deactivate(a)
    with pytest.raises(ValidationError, match="deactivated"):
        sell(services, p, 1, D1, customer_id=a)
    with pytest.raises(ValidationError):
        services.customers.add(CustomerInput("张三饭店"))
    assert services.accounts.balances(CUSTOMER, D1).total == 800
