"""The demo's money owed: customers, sales on account, suppliers on terms, payments and
collections; the books prove."""

from __future__ import annotations

from datetime import date

from jxc_desktop.demo import shop as demo
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER
from jxc_desktop.services.safety.books_check import run_check


def test_demo_has_money_owed(db, services, fill_as_demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JXC_NOW", "2027-03-01T00:05")
    fill_as_demo(lambda shop: demo.fill_demo(shop, products=60, days=24, seed=7, today=date(2027, 3, 1)))
    # a member is a customer with a card (issue 17): the demo's members are customers too
    members = {m.phone for m in services.members.list()}
    customers = services.customers.list()
    assert len([c for c in customers if c.phone not in members]) == 3 and len(customers) == 3 + len(members)
    assert [s.terms_days for s in services.suppliers.list() if s.terms_days] != []
    assert services.accounts.balances(CUSTOMER, date(2027, 2, 28)).rows
    book = services.accounts.cash_book(date(2027, 2, 5), date(2027, 2, 28))
    assert any(r.collections for r in book.rows) and any(r.payments for r in book.rows)
    assert services.accounts.aging(SUPPLIER, date(2027, 2, 28)).total == \
        services.accounts.balances(SUPPLIER, date(2027, 2, 28)).total
    assert [p for p in run_check(db).problems if p.kind == "accounts"] == []
