"""Migration 0019 on a file at the previous head (0018) with a sale: ``till`` is added to sale,
purchase, stock_count and money_doc as "" (not recorded), the file is healthy, new documents record
the till, and a downgrade takes the columns away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic_steps import move as _move
from alembic_steps import table_columns

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services

TABLES = ("sale", "purchase", "stock_count", "money_doc")


def _sell(path: Path) -> str:
    db = Database.for_file(path)
    services = Services(db)
    p = services.catalog.create_product(ProductInput(name="可乐", sale_price=350, ref_cost=200),
                                        opening_qty=10_000, opening_cost=200)
    sale = services.checkout.post_sale(Cart((CartLine(p.id, "可乐", 350, 1000, 350),)), [Tender("cash", 350)])
    db.dispose()
    return sale.number


def test_upgrade_from_0018_adds_the_till(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    _move(path, "0018", up=False)
    assert all("till" not in table_columns(path, t) for t in TABLES)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO sale (number, kind, status, created_at, business_day, subtotal, discount, total, paid,"
                " change, cost, note, channel) VALUES ('S-OLD', 'sale', 'posted', '2026-12-01 08:00:00.000000',"
                " '2026-12-01', 0, 0, 0, 0, 0, 0, '', 'till')")
    con.commit()
    con.close()

    result = migrate(path)
    assert result.upgraded_from == "0018" and result.revision == head_revision()
    assert all(table_columns(path, t)[-1] == "till" for t in TABLES)
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert con.execute("SELECT number, till FROM sale").fetchall() == [("S-OLD", "")]
    finally:
        con.close()

    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path / "pc"))
    db = Database.for_file(path)
    Services(db).settings.update({"till_id": "收银1"})
    db.dispose()
    number = _sell(path)
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT till FROM sale WHERE number = ?", (number,)).fetchone() == ("收银1",)
    finally:
        con.close()

    _move(path, "0018", up=False)
    assert all("till" not in table_columns(path, t) for t in TABLES)
