"""Customers' payment terms: a sale on account falls due the customer's terms after the sale day;
aging counts from that due date. Bad terms: a clear message, nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.accounts.dto import CUSTOMER, CustomerInput
from tests.unit.accounts_fixtures import sell


def test_a_sale_on_account_falls_due_after_the_terms(services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 300, 200, qty=50)
    month = services.customers.add(CustomerInput("月结饭店", terms_days=30))
    cash = services.customers.add(CustomerInput("张三"))  # no terms: due on the day, as before
    sell(services, cola, 5, date(2026, 3, 10), customer_id=month)
    sell(services, cola, 2, date(2026, 3, 10), customer_id=cash)
    assert [(d.due_date, d.open) for d in services.accounts.open_documents(CUSTOMER, month)] == [
        (date(2026, 4, 9), 1500)]
    assert [d.due_date for d in services.accounts.open_documents(CUSTOMER, cash)] == [date(2026, 3, 10)]
    rows = {r.name: r for r in services.accounts.balances(CUSTOMER, date(2026, 4, 1)).rows}
    assert (rows["月结饭店"].overdue, rows["月结饭店"].oldest_due) == (0, date(2026, 4, 9))
    assert rows["张三"].overdue == 600
    assert {r.name: r.overdue for r in services.accounts.balances(CUSTOMER, date(2026, 4, 10)).rows} == {
        "月结饭店": 1500, "张三": 600}


@pytest.mark.parametrize("terms", [-1, 3651, True])
def test_bad_terms_are_refused(services, terms) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Payment terms"):
        services.customers.add(CustomerInput("坏客户", terms_days=terms))
    assert services.customers.find_by_name("坏客户") is None
