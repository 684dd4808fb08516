"""Each sale line carries its product's category (migration 0018, issue 15: profit by category reads
it from one index): written when a line is posted (the till, returns, the bulk poster), moved along
when the product changes category, and checked by ``jxc check``."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today, utcnow
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.sales.dto import Tender


def _cart(services: Services, *barcodes: str) -> Cart:
    cart = Cart()
    for code in barcodes:
        cart, _ = c.add(cart, services.checkout.line_for_scan(code))
    return cart


def _lines(db: Database) -> list[tuple[int, int | None, int | None]]:
    """(product id, the line's category, the product's category) of every line."""
    with db.read() as uow:
        return [tuple(r) for r in uow.session.execute(text(
            "SELECT l.product_id, l.category_id, p.category_id FROM sale_line l JOIN product p ON p.id = l.product_id "
            "ORDER BY l.id"))]


def _by_category(services: Services) -> dict[str, tuple[int, int, int]]:
    today = local_today()
    rep = services.reports.profit(Period(today - timedelta(days=3), today), Grouping.CATEGORY)
    return {r.label: (r.net_sales, r.sale_count, r.return_count) for r in rep.rows}


def test_lines_carry_and_follow_the_category(services: Services, db: Database, db_path: Path,
                                             make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50, category="饮料")
    chips = make_product("薯片", 500, 300, 50, category="零食")
    loose = make_product("散装糖", 100, 50, 50)  # no category
    drinks = services.catalog.get(cola.id).category_id
    snacks = services.catalog.get(chips.id).category_id
    code = {p.id: p.barcodes[0][0] for p in (cola, chips, loose)}
    services.checkout.post_sale(_cart(services, code[cola.id], code[chips.id], code[loose.id]),
                                       [Tender("cash", 2000)])
    services.checkout.post_sale(_cart(services, code[cola.id], code[cola.id]), [Tender("cash", 1000)])
    assert _lines(db) == [(cola.id, drinks, drinks), (chips.id, snacks, snacks), (loose.id, None, None),
                          (cola.id, drinks, drinks)]
    # the bulk poster writes its lines by Core inserts: they carry the category too
    at = utcnow() - timedelta(minutes=5)
    assert services.checkout.post_sales_bulk([(_cart(services, code[chips.id]), [Tender("cash", 500)], at)]) == 1
    assert _lines(db)[-1] == (chips.id, snacks, snacks)
    assert _by_category(services) == {"饮料": (1050, 2, 0), "零食": (1000, 2, 0), "Uncategorized": (100, 1, 0)}

    # cola moves to 零食: its history goes along (the report reads today's category, as by product)
    d = services.catalog.get(cola.id)
    services.catalog.update_product(cola.id, ProductInput(
        name=d.name, code=d.code, unit=d.unit, sale_price=d.sale_price, ref_cost=d.ref_cost, barcodes=d.barcodes,
        category="零食"))
    assert all(line_cat == product_cat for _pid, line_cat, product_cat in _lines(db))
    assert _by_category(services) == {"零食": (2050, 3, 0), "Uncategorized": (100, 1, 0)}
    assert run_check(db, full=False).ok

    # a copy changed by hand is a problem of jxc check, naming the product
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE sale_line SET category_id = NULL WHERE product_id = ?", (chips.id,))
    con.close()
    report = run_check(db, full=False)
    assert [(p.kind, p.product) for p in report.problems] == [("profit", chips.code)]
    assert "2 sale lines" in report.problems[0].detail
