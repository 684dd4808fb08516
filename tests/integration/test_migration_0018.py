"""Migration 0018 on a file at the previous head (0017) with sales: ``sale_line.category_id`` is
filled from each line's product (NULL for a product of no category), the two indexes are there,
the file is healthy and the profit by category reads the copy; a downgrade takes it all away."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import Tender


def _sale_line_columns(con: sqlite3.Connection) -> list[str]:
    return [r[1] for r in con.execute("PRAGMA table_info('sale_line')")]


def _index_columns(con: sqlite3.Connection, name: str) -> list[str]:
    return [r[2] for r in con.execute(f"PRAGMA index_info('{name}')")]


def _shop(path: Path) -> None:
    migrate(path)
    db = Database.for_file(path)
    s = Services(db)
    for n, (name, category) in enumerate((("可乐", "饮料"), ("薯片", "零食"), ("散装糖", ""))):
        code = with_check_digit(f"690{n:09d}")
        s.catalog.create_product(ProductInput(name=name, sale_price=300 + n, ref_cost=100, category=category,
                                              barcodes=((code, 1),)), create_category=True, opening_qty=50000,
                                 opening_cost=100)
        cart, _ = c.add(Cart(), s.checkout.line_for_scan(code))
        s.checkout.post_sale(cart, [Tender("cash", 1000)])
    db.dispose()


def test_upgrade_from_0017_fills_the_copy(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    _shop(path)
    _move(path, "0017", up=False)
    con = sqlite3.connect(path)
    try:
        assert "category_id" not in _sale_line_columns(con)
        assert _index_columns(con, "ix_sale_line_product_day") == ["product_id", "kind", "status", "business_day"]
    finally:
        con.close()

    result = migrate(path)
    assert result.upgraded_from == "0017" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert con.execute("SELECT l.category_id IS p.category_id, p.category_id IS NULL FROM sale_line l "
                           "JOIN product p ON p.id = l.product_id ORDER BY l.id").fetchall() == \
            [(1, 0), (1, 0), (1, 1)]
        assert _index_columns(con, "ix_sale_line_category") == [
            "kind", "status", "category_id", "business_day", "sale_id", "qty", "amount", "discount", "cost"]
        assert _index_columns(con, "ix_sale_line_product_day")[-1] == "category_id"
    finally:
        con.close()
    db = Database.for_file(path)
    today = local_today()
    rows = Services(db).reports.profit(Period(today - timedelta(days=1), today), Grouping.CATEGORY).rows
    assert sorted((r.label, r.net_sales, r.sale_count) for r in rows) == [
        ("Uncategorized", 302, 1), ("零食", 301, 1), ("饮料", 300, 1)]
    db.dispose()

    _move(path, "0017", up=False)
    con = sqlite3.connect(path)
    try:
        assert "category_id" not in _sale_line_columns(con)
        assert _index_columns(con, "ix_sale_line_category") == []
        assert _index_columns(con, "ix_sale_line_product_day") == ["product_id", "kind", "status", "business_day"]
    finally:
        con.close()
