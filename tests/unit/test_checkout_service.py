"""Checkout service on a real SQLite file: scanning, posting sales, returns, summaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, Payment, Product, Sale, SaleLine, StockMove
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import InsufficientStockError, NotFoundError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from jxc_desktop.services.stock import ledger


def scan(services, *codes: str) -> Cart:  # type: ignore[no-untyped-def]
    cart = Cart()
    for code in codes:
        cart, _ = c.add(cart, services.checkout.line_for_scan(code))
    return cart


def rows(db, model):  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return list(uow.session.scalars(select(model).order_by(model.id)))


def test_scan_barcode_pack_code_and_unknown(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 50, barcode="6901234567892")
    services.catalog.update_product(p.id, _input(services, p.id, barcodes=(("6901234567892", 1), ("16901234567899", 12))))
    assert services.checkout.line_for_scan("6901234567892").qty == 1000
    pack = services.checkout.line_for_scan("16901234567899")
    assert pack.qty == 12000 and pack.unit_price == 350
    assert services.checkout.line_for_scan(p.code).product_id == p.id
    with pytest.raises(NotFoundError, match="Unknown barcode 123"):
        services.checkout.line_for_scan("123")
    services.catalog.set_active(p.id, False)
    with pytest.raises(ValidationError, match="deactivated"):
        services.checkout.line_for_scan("6901234567892")


def _input(services, pid, **changes):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from jxc_desktop.domain.product_rules import ProductInput

    d = services.catalog.get(pid)
    base = ProductInput(name=d.name, code=d.code, unit=d.unit, sale_price=d.sale_price, ref_cost=d.ref_cost,
                        barcodes=d.barcodes, tracks_batches=d.tracks_batches)
    return replace(base, **changes)


def test_scale_labels(services, make_product) -> None:  # type: ignore[no-untyped-def]
    meat = make_product("猪肉", 2400, 1500, 20, code="000123", unit="kg")
    services.settings.update({"scale_barcode_rules": "21IIIIIWWWWWC;2XIIIIIPPPPPC"})
    w = services.checkout.line_for_scan(with_check_digit("210012301250"))
    assert (w.product_id, w.qty) == (meat.id, 1250)
    assert c.price(Cart((w,))).total == 3000
    p = services.checkout.line_for_scan(with_check_digit("290012301250"))
    assert p.fixed_amount == 1250 and p.qty == 521  # 12.50 / 24.00 per kg
    assert c.price(Cart((p,))).total == 1250
    with pytest.raises(NotFoundError, match="no product with item code 00999"):
        services.checkout.line_for_scan(with_check_digit("210099901250"))
    with pytest.raises(ValidationError):
        services.settings.update({"scale_barcode_rules": "nonsense"})


def test_post_sale_one_transaction(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    a = make_product("可乐", 350, 200, 10, barcode="6901234567892")
    b = make_product("薯片", 650, 410, 5)
    cart = scan(services, "6901234567892", "6901234567892", b.barcodes[0][0])
    cart = c.set_sale_discount(cart, 50)
    sale = services.checkout.post_sale(cart, [Tender("wechat", 500), Tender("cash", 1000)])
    assert sale.number.startswith("XS") and sale.total == 1300 and sale.subtotal == 1350
    assert sale.change == 200 and sale.paid == 1500
    assert [(p.method, p.amount, p.tendered) for p in sale.payments] == [("cash", 800, 1000), ("wechat", 500, 500)]
    assert sum(ln.amount for ln in sale.lines) == 1300
    assert sale.business_day == local_day(sale.created_at)
    with db.read() as uow:
        s = uow.session
        for ln in sale.lines:
            moved = s.scalar(select(func.sum(StockMove.value)).where(StockMove.doc_line_id == ln.id,
                                                                     StockMove.doc_type == "sale"))
            assert -moved == ln.cost
        assert s.get(Product, a.id).stock_qty == 8000
        assert s.get(Product, b.id).stock_qty == 4000
        assert sale.cost == 400 + 410
        assert ledger.reconcile(s) == []


def test_payment_errors_post_nothing(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    cart = scan(services, p.barcodes[0][0])
    for tenders, msg in (([Tender("cash", 300)], "less than the amount due"),
                         ([Tender("card", 400)], "more than the amount due"),
                         ([Tender("wechat", 100)], "do not cover"),
                         ([Tender("bitcoin", 350)], "Unknown payment method"),
                         ([Tender("cash", -1)], "must not be negative")):
        with pytest.raises(ValidationError, match=msg):
            services.checkout.post_sale(cart, tenders)
    with pytest.raises(ValidationError, match="cart is empty"):
        services.checkout.post_sale(Cart(), [Tender("cash", 100)])
    assert rows(db, Sale) == [] and rows(db, Payment) == []
    assert services.catalog.get(p.id).stock_qty == 10000


def test_discount_limit_from_settings(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 1000, 200, 10)
    services.settings.update({"max_line_discount_pct": "10"})
    cart = c.set_line_discount(scan(services, p.barcodes[0][0]), 0, 200)
    with pytest.raises(ValidationError, match="allowed 10%"):
        services.checkout.post_sale(cart, [Tender("cash", 1000)])


def test_negative_stock_policy(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 1)
    cart = c.set_qty(scan(services, p.barcodes[0][0]), 0, 3000)
    with pytest.raises(InsufficientStockError) as info:
        services.checkout.post_sale(cart, [Tender("cash", 1050)])
    assert info.value.needs_confirmation and "可乐" in str(info.value)
    assert rows(db, Sale) == []
    sale = services.checkout.post_sale(cart, [Tender("cash", 1050)], confirmed=True)
    assert sale.lines[0].cost == 600  # beyond stock at the last average cost
    assert services.catalog.get(p.id).stock_qty == -2000
    services.settings.update({"negative_stock": "block"})
    with pytest.raises(InsufficientStockError) as info:
        services.checkout.post_sale(cart, [Tender("cash", 1050)], confirmed=True)
    assert not info.value.needs_confirmation


def _batch_product(services, db, make_product, batches):  # type: ignore[no-untyped-def]
    p = make_product("牛奶", 500, 300, 0, tracks_batches=True, shelf_life_days=30)
    with db.write() as uow:
        s = uow.session
        prod = s.get(Product, p.id)
        for no, exp, qty in batches:
            b = Batch(product_id=p.id, batch_no=no, expiry_date=exp, qty=0)
            s.add(b)
            s.flush()
            ledger.receive(s, prod, qty * 1000, MoveKind.PURCHASE, ledger.DocRef("opening"), value=qty * 300, batch=b)
        uow.commit()
    return p


def test_fefo_expired_block_and_return_to_batch(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    today = local_day()
    p = _batch_product(services, db, make_product, [("OLD", today - timedelta(days=1), 2),
                                                   ("B1", today + timedelta(days=5), 3),
                                                   ("B2", today + timedelta(days=20), 10)])
    cart = c.set_qty(scan(services, p.barcodes[0][0]), 0, 5000)
    sale = services.checkout.post_sale(cart, [Tender("cash", 2500)])
    with db.read() as uow:
        got = {b.batch_no: b.qty for b in uow.session.scalars(select(Batch))}
    assert got == {"OLD": 2000, "B1": 0, "B2": 8000}  # expired skipped, first-expiry-first
    # 8 usable + 2 expired: asking 10 is blocked by the expired rule, not a negative-stock question
    with pytest.raises(InsufficientStockError, match="expired"):
        services.checkout.post_sale(c.set_qty(cart, 0, 10000), [Tender("cash", 5000)])
    ret = services.checkout.post_return(sale.number, [ReturnItem(sale.lines[0].id, 4000)])
    assert ret.number.startswith("TH") and ret.total == 2000 and ret.cost == sale.lines[0].cost * 4 // 5
    with db.read() as uow:
        got = {b.batch_no: b.qty for b in uow.session.scalars(select(Batch))}
        assert ledger.reconcile(uow.session) == []
    assert got == {"OLD": 2000, "B1": 3000, "B2": 9000}


def test_returns_limits_and_exact_amounts(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 333, 200, 10)
    cart = c.set_sale_discount(c.set_qty(scan(services, p.barcodes[0][0]), 0, 3000), 1)
    sale = services.checkout.post_sale(cart, [Tender("alipay", 998)])
    line_id = sale.lines[0].id
    r1 = services.checkout.post_return(sale.number.lower(), [ReturnItem(line_id, 1000)], method="alipay")
    r2 = services.checkout.post_return(sale.number, [ReturnItem(line_id, 2000)])
    assert r1.total + r2.total == sale.total
    assert r1.cost + r2.cost == sale.cost
    assert r1.origin_number == sale.number
    with pytest.raises(ValidationError, match="at most 0 can still be returned"):
        services.checkout.post_return(sale.number, [ReturnItem(line_id, 1000)])
    with pytest.raises(NotFoundError, match="No sale with receipt number XS19990101-0001"):
        services.checkout.post_return("XS19990101-0001", [ReturnItem(line_id, 1000)])
    with pytest.raises(ValidationError, match="no quantity"):
        services.checkout.post_return(sale.number, [])
    got = services.checkout.get_sale(sale.number)
    assert got.lines[0].returned_qty == 3000
    assert services.catalog.get(p.id).stock_qty == 10000
    assert services.catalog.get(p.id).stock_value == 2000
    with db.read() as uow:
        assert ledger.reconcile(uow.session) == []
        assert uow.session.scalar(select(func.count()).select_from(SaleLine)) == 3


def test_day_summary_and_list(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    cart = scan(services, p.barcodes[0][0], p.barcodes[0][0])
    s1 = services.checkout.post_sale(cart, [Tender("cash", 1000)])
    services.checkout.post_sale(cart, [Tender("wechat", 700)])
    services.checkout.post_return(s1.number, [ReturnItem(s1.lines[0].id, 1000)])
    yesterday = utcnow() - timedelta(days=1, hours=1)
    services.checkout.post_sale(cart, [Tender("card", 700)], at=yesterday)
    d = services.checkout.day_summary()
    assert (d.sales_count, d.sales_total, d.returns_count, d.returns_total) == (2, 1400, 1, 350)
    assert d.by_method == {"cash": 350, "wechat": 700}
    assert d.net_total == 1050
    listed = services.checkout.list_day()
    assert [r.kind for r in listed] == ["return", "sale", "sale"]
    assert listed[1].methods == ("wechat",) and listed[2].item_qty == 2000
    old = services.checkout.list_day(local_day(yesterday))
    assert len(old) == 1 and old[0].number.startswith("XS" + local_day(yesterday).strftime("%Y%m%d"))
    assert services.checkout.day_summary(date(2000, 1, 1)).sales_count == 0


def test_busy_database_posts_nothing_then_retry_works(services, make_product, db, db_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from jxc_desktop.domain.errors import DatabaseError

    p = make_product("可乐", 350, 200, 10)
    cart = scan(services, p.barcodes[0][0])
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseError, match="busy"):
            services.checkout.post_sale(cart, [Tender("cash", 350)])
    finally:
        other.execute("ROLLBACK")
        other.close()
    # nothing of the sale, read from the file (not today's list, which depends on the real date)
    with db.read() as uow:
        s = uow.session
        assert [s.scalar(select(func.count()).select_from(m)) for m in (Sale, SaleLine, Payment)] == [0, 0, 0]
        assert list(s.scalars(select(StockMove.kind))) == [MoveKind.OPENING]
    assert services.catalog.get(p.id).stock_qty == 10_000
    sale = services.checkout.post_sale(cart, [Tender("cash", 350)])  # the same cart, again
    assert sale.number.endswith("-0001")
