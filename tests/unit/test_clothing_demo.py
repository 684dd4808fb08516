"""The clothing demo (jxc demo --kind clothing): the same shop for a seed and a day, books that
reconcile, deliveries by grid and sales by variant, stock never below zero, and the store demo
untouched by it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Product, Purchase, Sale, SaleLine, Style
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.clothing import fill_clothing_demo
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock import ledger
from tests.demo_day import DEMO_TODAY


def _shop(path: Path) -> tuple[object, ...]:
    migrate(path)
    builder = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    try:
        result = fill_clothing_demo(Services(builder), styles=6, days=90, seed=3, today=DEMO_TODAY)
    finally:
        builder.dispose()
    db = Database.for_file(path)
    try:
        with db.read() as uow:
            s = uow.session
            assert ledger.reconcile(s) == []
            assert s.scalar(select(func.min(Product.stock_qty))) >= 0
            assert s.scalar(select(func.count(Product.id)).where(Product.style_id.is_(None))) == 0
            sold_variants = s.scalar(select(func.count(func.distinct(SaleLine.product_id))))
            return (result.products, result.first_day, s.scalar(select(func.count(Style.id))),
                    s.scalar(select(func.count(Purchase.id))), s.scalar(select(func.count(Sale.id))),
                    s.scalar(select(func.sum(Product.stock_qty))), s.scalar(select(func.sum(Sale.total))),
                    sold_variants, s.scalar(select(func.max(Sale.created_at))))
    finally:
        db.dispose()


def test_same_shop_for_a_seed_and_books_reconcile(tmp_path: Path) -> None:
    first = _shop(tmp_path / "a.db")
    assert first == _shop(tmp_path / "b.db")
    products, first_day, styles, notes, sales, stock, takings, sold_variants, last_sale = first
    assert styles == 6 and products > 6 * 4 and notes >= 6 and sales > 100 and stock > 0 and takings > 0
    assert sold_variants > products // 3
    assert first_day.isoformat() == "2026-08-27" and last_sale.astimezone().date() < DEMO_TODAY
