"""sale_line repeats its sale's business_day / kind / status (the profit summary's index reads only
the lines): every way a line is written keeps the copy equal to the sale, and the profit summary
still leaves reversed sales out, to the fen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from jxc_desktop.db.models import Sale, SaleLine
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from tests.unit.purchase_fixtures import record_sales


def _mismatches(db) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    with db.read() as uow:
        return list(uow.session.execute(
            select(SaleLine.id, SaleLine.business_day, SaleLine.kind, SaleLine.status,
                   Sale.business_day, Sale.kind, Sale.status).join(Sale, Sale.id == SaleLine.sale_id)
            .where((SaleLine.business_day != Sale.business_day) | (SaleLine.kind != Sale.kind)
                   | (SaleLine.status != Sale.status))).all())


def test_checkout_sale_and_return_lines_carry_the_sale_day_kind_status(services, db, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("苹果", 500, 300, 20, barcode="6901234567892")
    b = make_product("牛奶", 350, 200, 20)
    at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # a UTC time whose local day may differ
    cart = Cart()
    for line in (services.checkout.line_for_scan("6901234567892"), services.checkout.line_for_scan(b.code)):
        cart, _ = c.add(cart, line)
    sale = services.checkout.post_sale(cart, [Tender("cash", 1000)], at=at)
    with db.read() as uow:
        first = uow.session.scalars(select(SaleLine).join(Sale).where(Sale.number == sale.number)).first()
        assert first is not None
        line_id = first.id
    services.checkout.post_return(sale.number, [ReturnItem(line_id, 1000)], at=at + timedelta(days=1))
    with db.read() as uow:
        got = uow.session.execute(select(SaleLine.product_id, SaleLine.business_day, SaleLine.kind, SaleLine.status)
                                  .order_by(SaleLine.id)).all()
    day = local_day(at)
    assert got == [(a.id, day, "sale", "posted"), (b.id, day, "sale", "posted"),
                   (a.id, local_day(at + timedelta(days=1)), "return", "posted")]
    assert _mismatches(db) == []


def test_lines_written_without_the_copy_get_it_and_a_reversal_reaches_them(services, db, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("饼干", 300, 100, 50)
    day = date(2026, 5, 10)
    record_sales(db, [(p.id, 2_000, day, "sale", "posted"), (p.id, 3_000, day, "sale", "posted"),
                      (p.id, 1_000, day + timedelta(days=1), "return", "posted")])
    assert _mismatches(db) == []
    period = Period(day, day + timedelta(days=1))
    before = services.reports.profit(period, "product").total
    assert (before.sales, before.returns, before.qty) == (1500, 300, 4_000)
    # Reverse the second sale (红冲) through the ORM: its line follows, and the report drops it.
    with db.write() as uow:
        second = uow.session.scalars(select(Sale).where(Sale.kind == "sale").order_by(Sale.id.desc())).first()
        assert second is not None
        second.status = "reversed"
        uow.commit()
    assert _mismatches(db) == []
    for by in ("product", "day", "category"):
        total = services.reports.profit(period, by).total
        assert (total.sales, total.returns, total.qty, total.sale_count) == (600, 300, 1_000, 1), by
