"""Property: any sequence of sales and customer returns (batches, discounts, negative stock)
keeps the ledger invariants, and returns never exceed what was sold and bring back exactly the
cost and amount that went out."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, Product, SaleLine
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from jxc_desktop.services.stock import ledger

sale_op = st.tuples(st.just("sale"), st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5000)), min_size=1,
                                              max_size=4), st.integers(0, 30))
return_op = st.tuples(st.just("return"), st.integers(0, 50), st.integers(0, 3), st.integers(1, 6000))
ops = st.lists(st.one_of(sale_op, sale_op, return_op), min_size=1, max_size=8)
_counter = itertools.count()


def _setup(template: bytes, tmp: Path) -> Services:
    path = tmp / f"p{next(_counter)}.sqlite3"
    path.write_bytes(template)
    s = Services(Database.for_file(path))
    s.settings.update({"negative_stock": "allow", "max_sale_discount_pct": "100"})
    today = local_day()
    for i in range(4):
        tracks = i % 2 == 0
        p = s.catalog.create_product(ProductInput(name=f"P{i}", sale_price=199 + 131 * i, ref_cost=97 + 53 * i,
                                                  tracks_batches=tracks, shelf_life_days=30 if tracks else None),
                                     opening_qty=0 if tracks else 7_000)
        if tracks:
            with s.db.write() as uow:
                prod = uow.session.get(Product, p.id)
                for n, (days, qty, cost) in enumerate(((3, 2_500, 113), (9, 4_000, 127))):
                    b = Batch(product_id=p.id, batch_no=f"B{n}", expiry_date=today + timedelta(days=days), qty=0)
                    uow.session.add(b)
                    uow.session.flush()
                    ledger.receive(uow.session, prod, qty, MoveKind.PURCHASE, ledger.DocRef("purchase"),
                                   value=qty * cost // 1000, batch=b)
                uow.commit()
    return s


@pytest.fixture
def template(db_path: Path) -> bytes:
    return db_path.read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_sales_and_returns_keep_the_books(template: bytes, tmp_path: Path, steps) -> None:  # type: ignore[no-untyped-def]
    s = _setup(template, tmp_path)
    products = [p.id for p in s.catalog.search("P", limit=10)]
    sales = []
    for op in steps:
        if op[0] == "sale":
            cart = Cart()
            for idx, qty in op[1]:
                cart, _ = c.add(cart, s.checkout.line_for_product(products[idx], qty))
            subtotal = c.price(cart).total
            cart = c.set_sale_discount(cart, subtotal * op[2] // 100)
            due = c.price(cart).total
            sales.append(s.checkout.post_sale(cart, [Tender("cash", due)]))
        elif sales:
            sale = sales[op[1] % len(sales)]
            line = sale.lines[op[2] % len(sale.lines)]
            left = line.qty - s.checkout.get_sale(sale.number).lines[line.line_no - 1].returned_qty
            try:
                s.checkout.post_return(sale.number, [ReturnItem(line.id, op[3])])
                assert op[3] <= left
            except ValidationError:
                assert op[3] > left
        with s.db.read() as uow:
            assert ledger.reconcile(uow.session) == []
    with s.db.read() as uow:
        ses = uow.session
        for sale in sales:
            for line in sale.lines:
                q, a, cost = ses.execute(select(func.coalesce(func.sum(SaleLine.qty), 0),
                                                func.coalesce(func.sum(SaleLine.amount), 0),
                                                func.coalesce(func.sum(SaleLine.cost), 0))
                                         .where(SaleLine.origin_line_id == line.id)).one()
                assert q <= line.qty and a <= line.amount and cost <= line.cost
                if q == line.qty:
                    assert (a, cost) == (line.amount, line.cost)
        # returns go back to the batches the goods came from, so no batch ends above what it received
        for b in ses.scalars(select(Batch)):
            assert b.qty <= 4_000
    s.db.dispose()
