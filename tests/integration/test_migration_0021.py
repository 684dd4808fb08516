"""Migration 0021 on a file at the previous head (0019) with a sale: ``sale_line.points`` is added
as 0, the file is healthy, a downgrade takes the column away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move
from alembic_steps import table_columns

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import Tender


def test_upgrade_from_0019_adds_the_line_points(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    services = Services(db)
    p = services.catalog.create_product(ProductInput(name="可乐", sale_price=300, ref_cost=200), opening_qty=5000,
                                        opening_cost=200)
    services.checkout.post_sale(Cart((services.checkout.line_for_product(p.id, 1000),)), [Tender("cash", 300)])
    db.dispose()
    _move(path, "0019", up=False)
    assert "points" not in table_columns(path, "sale_line")

    result = migrate(path)
    assert result.upgraded_from == "0019" and result.revision == head_revision()
    assert "points" in table_columns(path, "sale_line")
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert con.execute("SELECT name, amount, points FROM sale_line").fetchall() == [("可乐", 300, 0)]
    finally:
        con.close()
    _move(path, "0019", up=False)
    assert "points" not in table_columns(path, "sale_line")
