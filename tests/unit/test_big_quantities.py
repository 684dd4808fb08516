"""Quantities and prices whose product passes 2^31: qty and price are 32-bit integer columns on
PostgreSQL, so SQL that multiplies two of them must widen first (on SQLite every integer is 64-bit).
Runs on both backends (--backend=postgres)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import text

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)

HUNDRED = 100_000  # 100 units, in thousandths
DEAR = 2_147_484  # ¥21 474.84: 100 units × this passes 2^31


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12).astimezone()


def test_reports_price_a_big_return_and_its_reversal(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    safe = make_product("保险柜", 3_000_000, 2_000_000, 0, category="设备")
    sup = services.suppliers.add(SupplierInput(name="设备商")).id
    day = local_today() - timedelta(days=3)
    dear = services.purchasing.post(NoteInput(sup, (LineInput(safe.id, HUNDRED, DEAR),)), at=_noon(day),
                                    confirmed=True)
    services.purchasing.post(NoteInput(sup, (LineInput(safe.id, HUNDRED, 2_000_000),)), at=_noon(day),
                             confirmed=True)
    back = services.purchasing.post_return(  # credited at the price paid, taken out at the lower average
        ReturnInput(sup, (ReturnLineInput(safe.id, HUNDRED, dear.lines[0].id),), origin_id=dear.id),
        at=_noon(day), confirmed=True)
    with services.db.read() as uow:
        qty, price, amount = uow.session.execute(text(
            "SELECT qty, price, amount FROM purchase_line WHERE purchase_id = :id"), {"id": back.id}).one()
    assert qty * price > 2**31
    want = (qty * price + 500) // 1000 - amount
    assert want > 0
    that_day = Period(day, day)
    for by in ("supplier", "product"):
        assert services.reports.purchases(that_day, by).total.price_difference == want, by
    for by in ("day", "product", "category"):
        assert services.reports.profit(that_day, by).total.price_difference == want, by
    services.purchasing.reverse(back.id, at=_noon(day + timedelta(days=1)), confirmed=True)
    next_day = Period(day + timedelta(days=1), day + timedelta(days=1))
    for by in ("supplier", "product"):  # the reversal takes the credit's difference out again
        assert services.reports.purchases(next_day, by).total.price_difference == -want, by
    for by in ("day", "product", "category"):
        assert services.reports.profit(next_day, by).total.price_difference == -want, by


def test_reorder_reads_a_stock_above_71_582_units(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    """The flat rule compares stock × 30 days with what sold: 80 000 units × 30 passes 2^31 thousandths."""
    screws = make_product("螺丝", 10, 5, 80_000, min_stock=100_000_000)  # below its minimum: suggested
    plenty = make_product("垫片", 10, 5, 80_000)  # no minimum, one sold: lasts for years, not suggested
    for p in (screws, plenty):  # a sale in the window, so each one's stock × 30 is compared
        cart = Cart(lines=(replace(services.checkout.line_for_product(p.id), qty=1_000),))
        services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)],
                                    at=_noon(local_today() - timedelta(days=1)), confirmed=True)
    found = {line.product_id for group in services.reorder.suggest(rule="flat") for line in group.lines}
    assert screws.id in found and plenty.id not in found
